//! tower-sessions store in MySQL through the app's diesel-async pool, so every server
//! instance sees the same sessions without a second database driver.

use app::db::DbPool;
use app::schema::sessions;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::RunQueryDsl;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, ExpiredDeletion, Result};
use tower_sessions::SessionStore;

#[derive(Clone)]
pub struct MySqlSessionStore {
    pool: DbPool,
}

impl std::fmt::Debug for MySqlSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MySqlSessionStore")
    }
}

fn backend(error: impl std::fmt::Display) -> Error {
    app::db::note_failure();
    Error::Backend(error.to_string())
}

fn to_naive_utc(at: OffsetDateTime) -> NaiveDateTime {
    DateTime::<Utc>::from_timestamp(at.unix_timestamp(), at.nanosecond())
        .unwrap_or_default()
        .naive_utc()
}

fn from_naive_utc(at: NaiveDateTime) -> OffsetDateTime {
    let utc = at.and_utc();
    OffsetDateTime::from_unix_timestamp(utc.timestamp()).unwrap_or(OffsetDateTime::UNIX_EPOCH)
        + time::Duration::nanoseconds(i64::from(utc.timestamp_subsec_nanos()))
}

impl MySqlSessionStore {
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }

    /// Writes a record; `replace` overwrites an existing one with the same id.
    async fn write(&self, record: &Record, replace: bool) -> std::result::Result<(), WriteError> {
        let data = serde_json::to_vec(&record.data)
            .map_err(|e| WriteError::Other(Error::Encode(e.to_string())))?;
        let row = (
            sessions::id.eq(record.id.to_string()),
            sessions::data.eq(data),
            sessions::expiry_date.eq(to_naive_utc(record.expiry_date)),
        );
        let mut conn = self
            .pool
            .get()
            .await
            .map_err(|e| WriteError::Other(backend(e)))?;
        let written = if replace {
            diesel::replace_into(sessions::table)
                .values(row)
                .execute(&mut conn)
                .await
        } else {
            diesel::insert_into(sessions::table)
                .values(row)
                .execute(&mut conn)
                .await
        };
        match written {
            Ok(_) => Ok(()),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                Err(WriteError::Collision)
            }
            Err(e) => Err(WriteError::Other(backend(e))),
        }
    }
}

enum WriteError {
    Collision,
    Other(Error),
}

#[async_trait]
impl SessionStore for MySqlSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A 128-bit id collides practically never; if it does, draw another.
        loop {
            match self.write(record, false).await {
                Ok(()) => return Ok(()),
                Err(WriteError::Collision) => record.id = Id::default(),
                Err(WriteError::Other(error)) => return Err(error),
            }
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        match self.write(record, true).await {
            Ok(()) => Ok(()),
            Err(WriteError::Collision) => Err(backend("session id collision")),
            Err(WriteError::Other(error)) => Err(error),
        }
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let mut conn = self.pool.get().await.map_err(backend)?;
        let row: Option<(Vec<u8>, NaiveDateTime)> = sessions::table
            .find(id.to_string())
            .filter(sessions::expiry_date.gt(Utc::now().naive_utc()))
            .select((sessions::data, sessions::expiry_date))
            .first(&mut conn)
            .await
            .optional()
            .map_err(backend)?;
        row.map(|(data, expiry)| {
            Ok(Record {
                id: *id,
                data: serde_json::from_slice(&data).map_err(|e| Error::Decode(e.to_string()))?,
                expiry_date: from_naive_utc(expiry),
            })
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        let mut conn = self.pool.get().await.map_err(backend)?;
        diesel::delete(sessions::table.find(id.to_string()))
            .execute(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for MySqlSessionStore {
    async fn delete_expired(&self) -> Result<()> {
        let mut conn = self.pool.get().await.map_err(backend)?;
        diesel::delete(sessions::table.filter(sessions::expiry_date.lt(Utc::now().naive_utc())))
            .execute(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
