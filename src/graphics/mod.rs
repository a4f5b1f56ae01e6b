//! Drawing shared by the sub-apps: the bundled fonts (captcha images, word-cloud layout) and
//! rasterising SVG to PNG (cloud downloads).

pub mod fonts;
pub mod png;
