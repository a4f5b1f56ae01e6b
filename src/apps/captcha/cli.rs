//! `hud captcha generate`: fill the image pool, or write sample images to a folder (for the
//! OCR benchmark and for looking at them).

use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use sqlx::PgPool;

use super::{
    generate::{self, Size},
    service,
};
use crate::cache::Cache;

fn bar(count: usize) -> ProgressBar {
    let bar = ProgressBar::new(count as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} images, {per_sec}, ETA {eta}")
            .expect("valid template"),
    );
    bar
}

/// Generate `count` images into the database.
pub async fn generate_into_db(
    db: &PgPool,
    cache: &Cache,
    size: Size,
    count: usize,
) -> anyhow::Result<()> {
    let bar = bar(count);
    service::generate_images(db, cache, size, count, || bar.inc(1))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish();
    println!("stored {count} captcha images");
    Ok(())
}

/// Write `count` images as `NNNN.png`, each also drawn clean at three times the size as
/// `NNNN-clean.png` (the legibility reference), with `answers.tsv` (file name, text, the
/// characters' [`Marks`] comma-separated) into `dir`, and report the time per image (the
/// captcha alone) and the mean size.
///
/// [`Marks`]: super::rule::Marks
pub fn generate_into_dir(dir: &Path, size: Size, count: usize) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let bar = bar(count);
    let mut answers = String::new();
    let (mut spent, mut bytes) = (std::time::Duration::ZERO, 0usize);
    let mut rng = rand::rng();
    for i in 0..count {
        let started = std::time::Instant::now();
        let layout = generate::random_layout(&mut rng);
        let png = generate::png(&generate::render(
            &layout,
            size,
            generate::Style::Captcha,
            &mut rng,
        ));
        spent += started.elapsed();
        bytes += png.len();
        // Three times the size: OCR engines want ~30 px letters; eyes get them at any size.
        let large = Size {
            width: size.width * 3,
            height: size.height * 3,
        };
        let clean = generate::render(&layout, large, generate::Style::Clean, &mut rng);
        let name = format!("{i:04}");
        std::fs::write(dir.join(format!("{name}.png")), &png)?;
        std::fs::write(dir.join(format!("{name}-clean.png")), generate::png(&clean))?;
        let marks: Vec<String> = layout.marks.iter().map(i16::to_string).collect();
        answers.push_str(&format!("{name}\t{}\t{}\n", layout.text, marks.join(",")));
        bar.inc(1);
    }
    bar.finish();
    std::fs::write(dir.join("answers.tsv"), answers)?;
    let n = count.max(1) as f64;
    println!(
        "wrote {count} images of {}×{} to {}: {:.2} ms per image, {:.1} KiB on average",
        size.width,
        size.height,
        dir.display(),
        spent.as_secs_f64() * 1000.0 / n,
        bytes as f64 / 1024.0 / n
    );
    Ok(())
}
