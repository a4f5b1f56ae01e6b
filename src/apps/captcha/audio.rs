//! The spoken alternative: `espeak-ng` reads the image's characters one by one (saying
//! "capital" before upper-case letters) in the page's language, as a WAV file.
//!
//! Each issue sounds different (speed, pitch and loudness drawn from the token's secret seed),
//! so, like the image, a recording's hash says nothing about a later captcha.
//!
//! Audio is offered only where the program is installed (`HUD_ESPEAK`, default `espeak-ng`;
//! Debian: `apt install espeak-ng`). The program runs with a time limit and its output is capped.

use std::{process::Stdio, sync::OnceLock, time::Duration};

use rand::{Rng, SeedableRng, rngs::StdRng};
use tokio::{io::AsyncReadExt, process::Command};

use crate::i18n::Lang;

/// Longest time a rendering may take.
const TIMEOUT: Duration = Duration::from_secs(5);
/// Largest WAV accepted from the program (a few seconds of 22 kHz mono audio).
const MAX_BYTES: usize = 4 * 1024 * 1024;

/// Whether `program` can be run (checked once per process).
pub fn available(program: &str) -> bool {
    static FOUND: OnceLock<bool> = OnceLock::new();
    if program.is_empty() {
        return false;
    }
    *FOUND.get_or_init(|| {
        std::process::Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// The espeak-ng voice for a language.
fn voice(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Nl => "nl",
        Lang::Sv => "sv",
        Lang::Nb => "nb",
        Lang::Fr => "fr",
    }
}

/// Speed (words per minute), pitch (0–99) and amplitude of the rendering for `seed`: always
/// within what is comfortable to listen to.
fn voice_params(seed: u64) -> [String; 3] {
    let mut rng = StdRng::seed_from_u64(seed);
    [
        rng.random_range(105..=135u32).to_string(),
        rng.random_range(30..=70u32).to_string(),
        rng.random_range(85..=115u32).to_string(),
    ]
}

/// Speak `text` character by character, in the voice of `seed`. None when the program fails or
/// takes too long.
pub async fn speak(program: &str, text: &str, lang: Lang, seed: u64) -> Option<Vec<u8>> {
    // Commas make a pause between characters; -k2 says "capital" before upper-case letters.
    let spelled: Vec<String> = text.chars().map(String::from).collect();
    let [speed, pitch, amplitude] = voice_params(seed);
    let mut child = Command::new(program)
        .args(["-v", voice(lang), "-k2", "--stdout"])
        .args(["-s", &speed, "-p", &pitch, "-a", &amplitude])
        .arg(spelled.join(", "))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    let read = async {
        let mut wav = Vec::new();
        (&mut stdout)
            .take(MAX_BYTES as u64 + 1)
            .read_to_end(&mut wav)
            .await
            .ok()?;
        let status = child.wait().await.ok()?;
        (status.success() && wav.len() <= MAX_BYTES && wav.starts_with(b"RIFF")).then_some(wav)
    };
    match tokio::time::timeout(TIMEOUT, read).await {
        Ok(wav) => wav,
        Err(_) => {
            tracing::warn!("espeak-ng took too long");
            None
        }
    }
}
