//! Extractors of the JSON API that turn unreadable input into a translated problem+json answer
//! naming what was wrong, instead of the framework's bare status:
//!
//! - [`Json`]: a body that is not `application/json` → 415; not JSON → 400 (with the line and
//!   column); not an object, or JSON of the wrong shape → 422 naming the field
//!   (`words[2]`, `username`).
//! - [`Query`]: a parameter of the wrong type → 422 naming it. An empty value (`?limit=`) counts
//!   as absent, as the OpenAPI document says (`allowEmptyValue`): forms and clients that send
//!   every field, filled or not, must not be refused.
//! - [`Id`]: a path id that is not a whole number from 1 to 2⁶³ − 1 names nothing → 404.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Path, Request},
    http::{HeaderMap, StatusCode, header, request::Parts},
};
use serde::de::DeserializeOwned;

use super::{AppError, Message, error::FieldError};

/// A JSON request body (see the module docs).
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(req.headers()) {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
                _ => AppError::BadRequest(Message::new("api-body-unreadable")),
            }
        })?;
        parse_json(&bytes).map(Json)
    }
}

/// `application/json` or another `+json` type.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Decode a JSON document into `T`, or the problem to answer. Every body of the API is an
/// object. (Text with NUL, which PostgreSQL cannot store, is refused by each field's check:
/// unknown fields are ignored, whatever they hold.)
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| syntax_error(&e))?;
    integral(&mut value);
    if !value.is_object() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "body",
            Message::new("api-body-not-object"),
        )]));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        AppError::Invalid(vec![field_error(
            &path,
            &error.into_inner().to_string(),
            "body",
        )])
    })
}

/// JSON Schema's `integer` is any number without a fractional part (`3.0` too); serde's integers
/// take only the digits-only spelling, so such numbers are rewritten as integers first.
fn integral(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            // 2⁶³ is exactly representable; anything from it up is out of `i64`'s range.
            const LIMIT: f64 = 9_223_372_036_854_775_808.0;
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && (-LIMIT..LIMIT).contains(&f)
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral),
        Value::Object(fields) => fields.values_mut().for_each(integral),
        _ => {}
    }
}

fn syntax_error(error: &serde_json::Error) -> AppError {
    AppError::BadRequest(
        Message::new("api-json-syntax")
            .arg("line", error.line() as i64)
            .arg("column", error.column() as i64),
    )
}

/// The field a deserialization error is about: its path, or for a missing field the path of
/// that field (serde reports it at its parent); `root` names the whole input.
fn field_error(path: &str, message: &str, root: &str) -> FieldError {
    let parent = if path == "." { "" } else { path };
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name);
    match missing {
        Some(name) if parent.is_empty() => FieldError::new(name, Message::new("api-field-missing")),
        Some(name) => FieldError::new(
            &format!("{parent}.{name}"),
            Message::new("api-field-missing"),
        ),
        None if parent.is_empty() => FieldError::new(root, Message::new("api-field-invalid")),
        None => FieldError::new(parent, Message::new("api-field-invalid")),
    }
}

/// The query string, decoded into `T` (see the module docs).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parse_query(parts.uri.query().unwrap_or_default()).map(Query)
    }
}

/// Decode a query string into `T`, leaving out parameters with an empty value.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    if let Some((name, _)) = pairs.iter().find(|(_, value)| value.contains('\0')) {
        return Err(AppError::Invalid(vec![FieldError::new(
            name,
            Message::new("api-text-nul"),
        )]));
    }
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        AppError::Invalid(vec![field_error(
            &path,
            &error.into_inner().to_string(),
            "query",
        )])
    })
}

/// A path id: a whole number from 1 to `i64::MAX`; anything else names nothing (404).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(text) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        parse_id(&text).map(Id).ok_or(AppError::NotFound)
    }
}

/// `text` as an id (digits only, 1 to `i64::MAX`).
pub fn parse_id(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|&id| id >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[expect(dead_code, reason = "only decoded, never read")]
    struct Body {
        name: String,
        words: Vec<String>,
    }

    #[derive(serde::Deserialize, Debug, Default)]
    #[serde(default)]
    struct Params {
        features: bool,
        limit: Option<u32>,
    }

    fn field(error: AppError) -> (StatusCode, String) {
        let status = error.status();
        match error {
            AppError::Invalid(fields) => (status, fields[0].field.clone()),
            _ => (status, String::new()),
        }
    }

    #[test]
    fn json_errors_name_the_field() {
        let bad = |body: &str| field(parse_json::<Body>(body.as_bytes()).unwrap_err());
        assert_eq!(
            bad("{\"name\": \"a\"}"),
            (StatusCode::UNPROCESSABLE_ENTITY, "words".into())
        );
        assert_eq!(
            bad("{\"name\": \"a\", \"words\": [\"x\", 5]}"),
            (StatusCode::UNPROCESSABLE_ENTITY, "words[1]".into())
        );
        assert_eq!(bad("5"), (StatusCode::UNPROCESSABLE_ENTITY, "body".into()));
        #[derive(serde::Deserialize)]
        struct Ids {
            id: i64,
            x: f64,
        }
        let ids: Ids = parse_json(b"{\"id\": 17.0, \"x\": 2.0}").unwrap();
        assert_eq!((ids.id, ids.x), (17, 2.0));
        assert!(parse_json::<Ids>(b"{\"id\": 17.5, \"x\": 2}").is_err());
        assert!(parse_json::<Ids>(b"{\"id\": 1e19, \"x\": 2}").is_err());
        assert_eq!(
            bad("[\"a\", []]"),
            (StatusCode::UNPROCESSABLE_ENTITY, "body".into())
        );
        assert_eq!(bad("{\"name\": "), (StatusCode::BAD_REQUEST, String::new()));
        assert_eq!(bad(""), (StatusCode::BAD_REQUEST, String::new()));
        assert_eq!(bad("{} {}"), (StatusCode::BAD_REQUEST, String::new()));
        assert_eq!(bad("\u{0}"), (StatusCode::BAD_REQUEST, String::new()));
    }

    #[test]
    fn empty_query_values_are_absent() {
        let p: Params = parse_query("features=&limit=").unwrap();
        assert!(!p.features && p.limit.is_none());
        let p: Params = parse_query("features=true&limit=7").unwrap();
        assert!(p.features && p.limit == Some(7));
        let bad = field(parse_query::<Params>("features=null").unwrap_err());
        assert_eq!(bad, (StatusCode::UNPROCESSABLE_ENTITY, "features".into()));
    }

    #[test]
    fn ids() {
        assert_eq!(parse_id("1"), Some(1));
        assert_eq!(parse_id("9223372036854775807"), Some(i64::MAX));
        for bad in ["0", "-1", "+1", "9223372036854775808", "1e3", "", " 1", "x"] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
    }
}
