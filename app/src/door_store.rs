//! What a scanner phone keeps in IndexedDB so the door goes on working without a network:
//! the event's list (names and ticket hashes, see `models::DoorPerson`) and the scans made
//! offline, each under an id the phone made, until the server has taken them.

use crate::models::DoorPerson;
use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::JsValue;

const DATABASE: &str = "netevent-door";
const ROSTERS: &str = "rosters";
const SCANS: &str = "scans";

/// The door's list of one event as last loaded from the server.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SavedRoster {
    pub event_name: String,
    pub people: Vec<DoorPerson>,
    /// When the door takes entries (lists saved before windows existed have none).
    #[serde(default)]
    pub window: Option<crate::models::DoorWindow>,
}

/// A scan made offline, waiting to be sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueuedScan {
    /// Made by the phone (`crypto.randomUUID`); the key it is stored and removed under.
    pub id: String,
    pub event_id: i32,
    pub token: String,
    /// RFC 3339 with the phone's offset: when the ticket was scanned, not when it synced.
    pub scanned_at: String,
    /// The same moment on the phone's clock, for showing "already checked in at".
    pub local_time: chrono::NaiveDateTime,
    /// The list chosen on the scanner when it was made, and which way (scans queued before
    /// lists existed have neither: the link's list or the default, in).
    #[serde(default)]
    pub list_id: Option<i32>,
    #[serde(default)]
    pub direction: Option<crate::models::DoorDirection>,
    /// A check-in by hand (found by name, `token` empty): whom.
    #[serde(default)]
    pub attendee_id: Option<i32>,
}

pub struct DoorStore {
    database: Database,
}

fn problem(error: impl std::fmt::Display) -> String {
    format!("This phone's storage failed: {error}")
}

impl DoorStore {
    pub async fn open() -> Result<Self, String> {
        let factory = Factory::new().map_err(problem)?;
        let mut request = factory.open(DATABASE, Some(1)).map_err(problem)?;
        request.on_upgrade_needed(|event| {
            if let Ok(database) = event.database() {
                // Keys are given with each value: the event id, the scan's own id.
                let _ = database.create_object_store(ROSTERS, ObjectStoreParams::new());
                let _ = database.create_object_store(SCANS, ObjectStoreParams::new());
            }
        });
        let database = request.await.map_err(problem)?;
        Ok(Self { database })
    }

    async fn put<T: Serialize>(&self, store: &str, key: JsValue, value: &T) -> Result<(), String> {
        let json = serde_json::to_string(value).map_err(problem)?;
        let transaction = self
            .database
            .transaction(&[store], TransactionMode::ReadWrite)
            .map_err(problem)?;
        let objects = transaction.object_store(store).map_err(problem)?;
        objects
            .put(&JsValue::from_str(&json), Some(&key))
            .map_err(problem)?
            .await
            .map_err(problem)?;
        transaction
            .commit()
            .map_err(problem)?
            .await
            .map_err(problem)?;
        Ok(())
    }

    async fn all<T: DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, String> {
        let transaction = self
            .database
            .transaction(&[store], TransactionMode::ReadOnly)
            .map_err(problem)?;
        let objects = transaction.object_store(store).map_err(problem)?;
        let values = objects
            .get_all(None, None)
            .map_err(problem)?
            .await
            .map_err(problem)?;
        Ok(values
            .into_iter()
            .filter_map(|value| value.as_string())
            .filter_map(|json| serde_json::from_str(&json).ok())
            .collect())
    }

    pub async fn save_roster(&self, event_id: i32, roster: &SavedRoster) -> Result<(), String> {
        self.put(ROSTERS, JsValue::from(event_id), roster).await
    }

    pub async fn roster(&self, event_id: i32) -> Result<Option<SavedRoster>, String> {
        let transaction = self
            .database
            .transaction(&[ROSTERS], TransactionMode::ReadOnly)
            .map_err(problem)?;
        let objects = transaction.object_store(ROSTERS).map_err(problem)?;
        let value = objects
            .get(JsValue::from(event_id))
            .map_err(problem)?
            .await
            .map_err(problem)?;
        Ok(value
            .and_then(|value| value.as_string())
            .and_then(|json| serde_json::from_str(&json).ok()))
    }

    pub async fn queue(&self, scan: &QueuedScan) -> Result<(), String> {
        self.put(SCANS, JsValue::from_str(&scan.id), scan).await
    }

    /// The event's scans waiting to be sent, oldest first.
    pub async fn queued(&self, event_id: i32) -> Result<Vec<QueuedScan>, String> {
        let mut scans: Vec<QueuedScan> = self.all(SCANS).await?;
        scans.retain(|scan| scan.event_id == event_id);
        scans.sort_by(|a, b| a.scanned_at.cmp(&b.scanned_at));
        Ok(scans)
    }

    pub async fn remove(&self, scan_id: &str) -> Result<(), String> {
        self.delete(SCANS, JsValue::from_str(scan_id)).await
    }

    /// Drops the event's list: the server said this phone may no longer see it.
    pub async fn forget_roster(&self, event_id: i32) -> Result<(), String> {
        self.delete(ROSTERS, JsValue::from(event_id)).await
    }

    async fn delete(&self, store: &str, key: JsValue) -> Result<(), String> {
        let transaction = self
            .database
            .transaction(&[store], TransactionMode::ReadWrite)
            .map_err(problem)?;
        let objects = transaction.object_store(store).map_err(problem)?;
        objects
            .delete(key)
            .map_err(problem)?
            .await
            .map_err(problem)?;
        transaction
            .commit()
            .map_err(problem)?
            .await
            .map_err(problem)?;
        Ok(())
    }
}

/// Removes all this app keeps in the browser: the door's lists and queue, and every cache of
/// the service worker. At logout, so a shared phone keeps nothing of the person who used it.
pub async fn forget_this_browser() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = leptos::prelude::window();
    if let Ok(factory) = Factory::new() {
        if let Ok(request) = factory.delete(DATABASE) {
            let _ = request.await;
        }
    }
    let Ok(caches) = js_sys::Reflect::get(&window, &"caches".into()) else {
        return;
    };
    if caches.is_undefined() {
        return;
    }
    let method = |name: &str| {
        js_sys::Reflect::get(&caches, &name.into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    };
    let (Some(keys), Some(delete)) = (method("keys"), method("delete")) else {
        return;
    };
    let Ok(names) = keys.call0(&caches) else {
        return;
    };
    let Ok(names) = JsFuture::from(js_sys::Promise::from(names)).await else {
        return;
    };
    for name in js_sys::Array::from(&names).iter() {
        if let Ok(done) = delete.call1(&caches, &name) {
            let _ = JsFuture::from(js_sys::Promise::from(done)).await;
        }
    }
}
