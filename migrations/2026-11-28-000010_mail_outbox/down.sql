DROP TABLE server_keys;
DROP TABLE password_resets;
DROP TABLE notification_settings;
DROP TABLE outbox;
