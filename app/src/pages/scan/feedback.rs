//! What a noisy hall hears and feels after each scan, in the browser: a tone pattern per
//! answer drawn with Web Audio (no sound files to download) and a vibration pattern.

use std::cell::RefCell;
use web_sys::{AudioContext, OscillatorType};

/// How a scan ended, as the door's staff must tell apart without looking.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Checked in, or scanned out: two rising notes, one short buzz.
    Yes,
    /// Already in, or not inside: one middle note, one longer buzz.
    Already,
    /// Not valid: a low rasp, three buzzes.
    No,
}

thread_local! {
    /// One audio context for the page: browsers allow a handful.
    static AUDIO: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
}

/// (frequency in Hz, start and length in seconds, waveform) of each note.
fn notes(signal: Signal) -> &'static [(f32, f64, f64, OscillatorType)] {
    match signal {
        Signal::Yes => &[
            (880.0, 0.0, 0.09, OscillatorType::Sine),
            (1320.0, 0.11, 0.14, OscillatorType::Sine),
        ],
        Signal::Already => &[(523.0, 0.0, 0.3, OscillatorType::Triangle)],
        Signal::No => &[
            (170.0, 0.0, 0.18, OscillatorType::Square),
            (170.0, 0.24, 0.3, OscillatorType::Square),
        ],
    }
}

fn vibration(signal: Signal) -> &'static [u32] {
    match signal {
        Signal::Yes => &[80],
        Signal::Already => &[250],
        Signal::No => &[150, 80, 150, 80, 300],
    }
}

/// Plays the answer's tones and vibration; silently nothing where the browser has neither.
pub fn play(signal: Signal) {
    let pattern = js_sys::Array::new();
    for ms in vibration(signal) {
        pattern.push(&(*ms).into());
    }
    let _ = leptos::prelude::window()
        .navigator()
        .vibrate_with_pattern(&pattern);
    let _ = AUDIO.with(|audio| tones(&mut audio.borrow_mut(), signal));
}

fn tones(audio: &mut Option<AudioContext>, signal: Signal) -> Result<(), wasm_bindgen::JsValue> {
    if audio.is_none() {
        *audio = Some(AudioContext::new()?);
    }
    let context = audio.as_ref().expect("made above");
    // A context made before the first tap starts suspended; scanning follows a tap.
    let _ = context.resume();
    let start = context.current_time() + 0.01;
    for (frequency, at, length, wave) in notes(signal) {
        let oscillator = context.create_oscillator()?;
        oscillator.set_type(*wave);
        oscillator.frequency().set_value(*frequency);
        let gain = context.create_gain()?;
        let volume = gain.gain();
        volume.set_value_at_time(0.0001, start + at)?;
        volume.exponential_ramp_to_value_at_time(0.3, start + at + 0.015)?;
        volume.exponential_ramp_to_value_at_time(0.0001, start + at + length)?;
        oscillator.connect_with_audio_node(&gain)?;
        gain.connect_with_audio_node(&context.destination())?;
        oscillator.start_with_when(start + at)?;
        oscillator.stop_with_when(start + at + length + 0.02)?;
    }
    Ok(())
}
