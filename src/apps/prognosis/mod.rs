//! Prognosis: staff pick a stored breast-cancer sample and a stored model and get benign or
//! malignant with a probability. Only the pure ML core exists so far (no pages, API or jobs),
//! so the sub-app is not in the registry yet.

pub mod ml;
