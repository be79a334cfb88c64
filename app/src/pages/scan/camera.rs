//! The rear camera and its QR decoding, in the browser: BarcodeDetector where the browser
//! has it, the rqrr decoder compiled into this wasm where it does not.

use js_sys::{Array, Function, Promise, Reflect, JSON};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Opens the rear camera into `video`; answers whether it has a torch.
pub async fn start(video: &web_sys::HtmlVideoElement) -> Result<bool, String> {
    let refused = |_| {
        "The camera could not be opened. Allow camera access, or use the search below.".to_owned()
    };
    let devices = window().navigator().media_devices().map_err(refused)?;
    let constraints = web_sys::MediaStreamConstraints::new();
    let video_wish =
        JSON::parse(r#"{"facingMode":{"ideal":"environment"},"width":{"ideal":1280}}"#)
            .map_err(refused)?;
    constraints.set_video(&video_wish);
    constraints.set_audio(&JsValue::FALSE);
    let stream = JsFuture::from(
        devices
            .get_user_media_with_constraints(&constraints)
            .map_err(refused)?,
    )
    .await
    .map_err(refused)?
    .dyn_into::<web_sys::MediaStream>()
    .map_err(|_| "The camera gave no picture.".to_owned())?;
    video.set_src_object(Some(&stream));
    if let Ok(playing) = video.play() {
        let _ = JsFuture::from(playing).await;
    }
    let has_torch = video_track(video)
        .and_then(|track| {
            let capabilities: Function = Reflect::get(&track, &"getCapabilities".into())
                .ok()?
                .dyn_into()
                .ok()?;
            let found = capabilities.call0(&track).ok()?;
            Reflect::get(&found, &"torch".into()).ok()?.as_bool()
        })
        .unwrap_or(false);
    Ok(has_torch)
}

fn video_track(video: &web_sys::HtmlVideoElement) -> Option<JsValue> {
    let stream: web_sys::MediaStream = video.src_object()?.dyn_into().ok()?;
    let track = stream.get_video_tracks().get(0);
    (!track.is_undefined()).then_some(track)
}

/// Switches the camera's light, where the phone lets the page.
pub fn set_torch(video: &web_sys::HtmlVideoElement, on: bool) {
    let Some(track) = video_track(video) else {
        return;
    };
    let Ok(constraints) = JSON::parse(&format!(r#"{{"advanced":[{{"torch":{on}}}]}}"#)) else {
        return;
    };
    if let Some(apply) = Reflect::get(&track, &"applyConstraints".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    {
        let _ = apply.call1(&track, &constraints);
    }
}

/// The browser's own QR reader, where it has one.
fn barcode_detector() -> Option<JsValue> {
    let constructor: Function = Reflect::get(&window(), &"BarcodeDetector".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let options = JSON::parse(r#"{"formats":["qr_code"]}"#).ok()?;
    Reflect::construct(&constructor, &Array::of1(&options)).ok()
}

async fn detect_native(detector: &JsValue, video: &web_sys::HtmlVideoElement) -> Option<String> {
    let detect: Function = Reflect::get(detector, &"detect".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: Promise = detect.call1(detector, video).ok()?.dyn_into().ok()?;
    let codes: Array = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    let first = codes.get(0);
    if first.is_undefined() {
        return None;
    }
    Reflect::get(&first, &"rawValue".into()).ok()?.as_string()
}

/// Reads one frame with rqrr: drawn small on a canvas, turned grey, decoded in wasm.
fn detect_wasm(
    video: &web_sys::HtmlVideoElement,
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<String> {
    let (w, h) = (video.video_width(), video.video_height());
    if w == 0 || h == 0 {
        return None;
    }
    let scale = (640.0 / w.max(h) as f64).min(1.0);
    let (cw, ch) = ((w as f64 * scale) as u32, (h as f64 * scale) as u32);
    canvas.set_width(cw);
    canvas.set_height(ch);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context
        .draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, cw as f64, ch as f64)
        .ok()?;
    let pixels = context
        .get_image_data(0.0, 0.0, cw as f64, ch as f64)
        .ok()?
        .data();
    let grey = |x: usize, y: usize| {
        let i = (y * cw as usize + x) * 4;
        ((pixels[i] as u32 * 299 + pixels[i + 1] as u32 * 587 + pixels[i + 2] as u32 * 114) / 1000)
            as u8
    };
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(cw as usize, ch as usize, grey);
    prepared
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, content)| content))
}

/// Looks for a code a few times a second; the same code is ignored for 3 seconds so a
/// ticket held in front of the camera counts once.
pub fn scan_loop(
    video: web_sys::HtmlVideoElement,
    on_code: impl Fn(String) + 'static,
) -> Option<IntervalHandle> {
    let detector = barcode_detector();
    let canvas: web_sys::HtmlCanvasElement = document()
        .create_element("canvas")
        .expect("a canvas")
        .unchecked_into();
    let last: Rc<RefCell<(String, f64)>> = Rc::new(RefCell::new((String::new(), 0.0)));
    let busy = Rc::new(RefCell::new(false));
    let on_code = Rc::new(on_code);
    let tick = move || {
        if *busy.borrow() {
            return;
        }
        *busy.borrow_mut() = true;
        let (video, canvas, detector, last, busy, on_code) = (
            video.clone(),
            canvas.clone(),
            detector.clone(),
            last.clone(),
            busy.clone(),
            on_code.clone(),
        );
        wasm_bindgen_futures::spawn_local(async move {
            let code = match &detector {
                Some(detector) => detect_native(detector, &video).await,
                None => detect_wasm(&video, &canvas),
            };
            if let Some(code) = code {
                let now = js_sys::Date::now();
                let repeat = {
                    let (previous, at) = &*last.borrow();
                    *previous == code && now - at < 3_000.0
                };
                if !repeat {
                    *last.borrow_mut() = (code.clone(), now);
                    on_code(code);
                }
            }
            *busy.borrow_mut() = false;
        });
    };
    set_interval_with_handle(tick, std::time::Duration::from_millis(250)).ok()
}

/// Stops the camera.
pub fn stop(video: &web_sys::HtmlVideoElement) {
    if let Some(stream) = video
        .src_object()
        .and_then(|s| s.dyn_into::<web_sys::MediaStream>().ok())
    {
        for track in stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                track.stop();
            }
        }
    }
    video.set_src_object(None);
}
