// Hand-written to match migrations/; `diesel print-schema` would need libmysqlclient.
diesel::table! {
    organizers (id) {
        id -> Integer,
        email -> Varchar,
        password_hash -> Varchar,
        name -> Varchar,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> Integer,
        organizer_id -> Integer,
        code -> Varchar,
        name -> Varchar,
        description -> Nullable<Text>,
        start_time -> Datetime,
        end_time -> Datetime,
        location -> Nullable<Varchar>,
        max_attendees -> Nullable<Integer>,
        created_at -> Timestamp,
        attendee_count -> Integer,
        directory_version -> Unsigned<Bigint>,
        timezone -> Varchar,
        start_utc -> Datetime,
        end_utc -> Datetime,
        deleted_at -> Nullable<Datetime>,
        visibility -> Varchar,
        checkin_opens_minutes_before -> Nullable<Integer>,
        cover_image -> Nullable<Varchar>,
        interests_version -> Unsigned<Bigint>,
        retention_days -> Nullable<Integer>,
        erased_at -> Nullable<Datetime>,
        waitlist -> Bool,
        meeting_slot_minutes -> Nullable<Integer>,
    }
}

diesel::table! {
    meeting_periods (id) {
        id -> Integer,
        event_id -> Integer,
        starts_at -> Datetime,
        ends_at -> Datetime,
    }
}

diesel::table! {
    meeting_places (id) {
        id -> Integer,
        event_id -> Integer,
        name -> Varchar,
        position -> Integer,
    }
}

diesel::table! {
    waitlist (id) {
        id -> Bigint,
        event_id -> Integer,
        email -> Varchar,
        password_hash -> Varchar,
        first_name -> Varchar,
        last_name -> Varchar,
        organisation -> Nullable<Varchar>,
        role -> Nullable<Varchar>,
        introduction -> Nullable<Text>,
        created_at -> Datetime,
    }
}

diesel::table! {
    attendees (id) {
        id -> Integer,
        event_id -> Integer,
        email -> Varchar,
        password_hash -> Varchar,
        first_name -> Varchar,
        last_name -> Varchar,
        organisation -> Nullable<Varchar>,
        role -> Nullable<Varchar>,
        introduction -> Nullable<Text>,
        profile_picture -> Nullable<Varchar>,
        checkin_token -> Varchar,
        created_at -> Timestamp,
        badge_printed_at -> Nullable<Datetime>,
        badge_organisation -> Bool,
        badge_role -> Bool,
        meetings_from -> Varchar,
        hidden -> Bool,
        meeting_claims -> Unsigned<Integer>,
    }
}

diesel::table! {
    connections (id) {
        id -> Integer,
        attendee_id -> Integer,
        connected_attendee_id -> Integer,
        status -> Varchar,
        created_at -> Timestamp,
    }
}

diesel::table! {
    appointments (id) {
        id -> Integer,
        event_id -> Integer,
        requester_id -> Integer,
        target_id -> Integer,
        appointment_time -> Datetime,
        duration_minutes -> Integer,
        location -> Nullable<Varchar>,
        notes -> Nullable<Text>,
        status -> Varchar,
        created_at -> Timestamp,
        place_id -> Nullable<Integer>,
    }
}

diesel::table! {
    checkins (id) {
        id -> Integer,
        event_id -> Integer,
        attendee_id -> Integer,
        checked_in_at -> Datetime,
        checked_in_by_organizer_id -> Nullable<Integer>,
        device -> Nullable<Varchar>,
        created_at -> Timestamp,
        checked_in_by_staff_id -> Nullable<Integer>,
    }
}

diesel::table! {
    staff_access (id) {
        id -> Integer,
        event_id -> Integer,
        name -> Varchar,
        token -> Varchar,
        created_at -> Timestamp,
        revoked_at -> Nullable<Datetime>,
        role -> Varchar,
        list_id -> Nullable<Integer>,
    }
}

diesel::table! {
    checkin_lists (id) {
        id -> Integer,
        event_id -> Integer,
        name -> Varchar,
        counts_exits -> Bool,
        default_for -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    list_passes (list_id, attendee_id) {
        list_id -> Integer,
        attendee_id -> Integer,
        inside -> Bool,
        entries -> Integer,
        first_in_at -> Datetime,
        last_scan_at -> Datetime,
    }
}

diesel::table! {
    event_tags (id) {
        id -> Integer,
        event_id -> Integer,
        name -> Varchar,
        position -> Integer,
    }
}

diesel::table! {
    attendee_tags (attendee_id, kind, tag_id) {
        attendee_id -> Integer,
        kind -> Varchar,
        tag_id -> Integer,
    }
}

diesel::table! {
    blocks (blocker_id, blocked_id) {
        blocker_id -> Integer,
        blocked_id -> Integer,
        created_at -> Datetime,
    }
}

diesel::table! {
    sessions (id) {
        id -> Varchar,
        data -> Mediumblob,
        expiry_date -> Datetime,
    }
}

diesel::table! {
    outbox (id) {
        id -> Bigint,
        kind -> Varchar,
        recipient -> Varchar,
        event_id -> Nullable<Integer>,
        attendee_id -> Nullable<Integer>,
        subject_id -> Nullable<Integer>,
        secret -> Nullable<Varchar>,
        facts -> Nullable<Text>,
        status -> Varchar,
        due_at -> Datetime,
        attempts -> Integer,
        last_error -> Nullable<Varchar>,
        created_at -> Datetime,
        sent_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    notification_settings (attendee_id) {
        attendee_id -> Integer,
        connection_requests -> Bool,
        meeting_requests -> Bool,
        meeting_updates -> Bool,
        reminders -> Bool,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Char,
        role -> Varchar,
        email -> Varchar,
        expires_at -> Datetime,
        used_at -> Nullable<Datetime>,
        created_at -> Datetime,
    }
}

diesel::table! {
    server_keys (name) {
        name -> Varchar,
        secret -> Varbinary,
    }
}

diesel::table! {
    photos (name) {
        name -> Varchar,
        bytes -> Blob,
        stored_at -> Datetime,
    }
}

diesel::joinable!(events -> organizers (organizer_id));
diesel::joinable!(attendees -> events (event_id));
diesel::joinable!(appointments -> events (event_id));
diesel::joinable!(appointments -> meeting_places (place_id));
diesel::joinable!(staff_access -> events (event_id));
diesel::joinable!(checkins -> attendees (attendee_id));
diesel::joinable!(checkin_lists -> events (event_id));
diesel::joinable!(list_passes -> checkin_lists (list_id));
diesel::joinable!(list_passes -> attendees (attendee_id));
diesel::joinable!(notification_settings -> attendees (attendee_id));

diesel::allow_tables_to_appear_in_same_query!(
    organizers,
    blocks,
    waitlist,
    meeting_periods,
    meeting_places,
    event_tags,
    attendee_tags,
    events,
    attendees,
    connections,
    appointments,
    checkins,
    sessions,
    staff_access,
    outbox,
    notification_settings,
    password_resets,
    server_keys,
    checkin_lists,
    list_passes,
    photos,
);
