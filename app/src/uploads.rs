//! Sending a picture to the REST API from the page, with its progress: XMLHttpRequest rather
//! than fetch, because only it reports how much of an upload has gone.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Sends `method url`, with `file` as the multipart field `field` when there is one; `done`
/// gets the JSON answer of a 200, or the API's error message.
pub fn send(
    method: &str,
    url: &str,
    file: Option<(&str, web_sys::File)>,
    progress: RwSignal<Option<u32>>,
    done: impl Fn(Result<serde_json::Value, String>) + 'static,
) {
    let fail = |message: &str| Err(message.to_owned());
    let (Ok(xhr), Ok(form)) = (web_sys::XmlHttpRequest::new(), web_sys::FormData::new()) else {
        return done(fail("Your browser cannot upload files."));
    };
    if let Some((field, file)) = &file {
        if form.append_with_blob(field, file).is_err() {
            return done(fail("The upload could not start."));
        }
    }
    if xhr.open(method, url).is_err() {
        return done(fail("The upload could not start."));
    }
    if let Ok(upload) = xhr.upload() {
        let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
            move |event: web_sys::ProgressEvent| {
                if event.length_computable() && event.total() > 0.0 {
                    progress.set(Some((event.loaded() / event.total() * 100.0) as u32));
                }
            },
        );
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    let done = std::rc::Rc::new(done);
    let finished = xhr.clone();
    let on_done = done.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        let status = finished.status().unwrap_or(0);
        let text = finished.response_text().ok().flatten().unwrap_or_default();
        let body: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        if status == 200 {
            on_done(Ok(body))
        } else {
            on_done(Err(body["error"]["message"]
                .as_str()
                .unwrap_or("The upload failed. Please try again.")
                .to_owned()))
        }
    });
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    on_load.forget();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        done(Err(
            "The upload was interrupted. Check your connection and try again.".to_owned(),
        ))
    });
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    let sent = match file {
        Some(_) => xhr.send_with_opt_form_data(Some(&form)),
        None => xhr.send(),
    };
    if sent.is_err() {
        progress.set(None);
    }
}

/// Uploads the picture just picked in an `<input type="file">` (emptied for the next pick)
/// to `url` as the multipart field `field`, after the same 5 MB check the server makes;
/// `problem` gets what went wrong, `done` the JSON answer.
pub fn send_picked(
    event: &leptos::ev::Event,
    url: &str,
    field: &str,
    progress: RwSignal<Option<u32>>,
    problem: RwSignal<Option<String>>,
    done: impl Fn(serde_json::Value) + 'static,
) {
    problem.set(None);
    let Some(input) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let file = input.files().and_then(|files| files.get(0));
    input.set_value("");
    let Some(file) = file else { return };
    if file.size() > 5.0 * 1024.0 * 1024.0 {
        problem.set(Some(
            "The picture is larger than 5 MB. Please choose a smaller one.".into(),
        ));
        return;
    }
    progress.set(Some(0));
    send("POST", url, Some((field, file)), progress, move |result| {
        progress.set(None);
        match result {
            Ok(body) => done(body),
            Err(message) => problem.set(Some(message)),
        }
    });
}
