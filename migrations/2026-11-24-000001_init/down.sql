DROP TABLE sessions;
DROP TABLE appointments;
DROP TABLE connections;
DROP TABLE attendees;
DROP TABLE events;
DROP TABLE organizers;
