//! The OpenAPI document of the API: its header, the bearer scheme, and what every operation has
//! in common, added once here rather than on each handler: the error responses it can give
//! (with the [`Problem`] body), the rate-limit headers, the range of path ids, and empty query
//! values meaning "absent".

use utoipa::{
    Modify, OpenApi,
    openapi::{
        self, Content, RefOr, Required, ResponseBuilder,
        path::{Operation, ParameterIn, PathItem},
        schema::{Ref, Schema},
    },
};

use super::error::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(title = "HUD API", description = "JSON API of HUD for mobile and scripted clients. \
        Authenticate with `POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`. \
        Errors are RFC 9457 problem+json documents (`Problem`), translated per \
        `Accept-Language`. A query parameter sent with an empty value counts as absent."),
    components(schemas(FieldError, Problem)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Media type of every error body.
const PROBLEM_JSON: &str = "application/problem+json";

/// What every operation has in common (see the module docs). Applied to the merged document of
/// the enabled sub-apps (a modifier of [`ApiDoc`] would run before their paths are added).
pub struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut openapi::OpenApi) {
        for (path, item) in &mut openapi.paths.paths {
            // The pictures and sounds it links to are served with the pages, unlimited.
            let limited = path.starts_with("/api/v1/");
            for operation in operations(item) {
                complete(operation, limited);
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let RefOr::T(parameter) = parameter
                        && let Some(RefOr::T(schema)) = &mut parameter.schema
                    {
                        no_nul(schema);
                    }
                }
            }
        }
        if let Some(components) = &mut openapi.components {
            for schema in components.schemas.values_mut() {
                if let RefOr::T(schema) = schema {
                    no_nul(schema);
                }
            }
        }
    }
}

/// No text can hold NUL (PostgreSQL cannot store it): say so on every string without a pattern
/// of its own.
fn no_nul(schema: &mut Schema) {
    use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, SchemaType, Type};
    let children: Vec<&mut RefOr<Schema>> = match schema {
        Schema::Object(object) => {
            let text = match &object.schema_type {
                SchemaType::Type(Type::String) => true,
                SchemaType::Array(types) => types.contains(&Type::String),
                _ => false,
            };
            if text && object.pattern.is_none() && object.enum_values.is_none() {
                object.pattern = Some("^[^\\u0000]*$".to_owned());
            }
            let mut children: Vec<_> = object.properties.values_mut().collect();
            if let Some(extra) = object.additional_properties.as_deref_mut()
                && let AdditionalProperties::RefOr(extra) = extra
            {
                children.push(extra);
            }
            children
        }
        Schema::Array(array) => {
            for item in &mut array.prefix_items {
                no_nul(item);
            }
            match &mut array.items {
                ArrayItems::RefOrSchema(item) => vec![item.as_mut()],
                _ => Vec::new(),
            }
        }
        Schema::OneOf(one) => one.items.iter_mut().collect(),
        Schema::AnyOf(any) => any.items.iter_mut().collect(),
        Schema::AllOf(all) => all.items.iter_mut().collect(),
        _ => Vec::new(),
    };
    for child in children {
        if let RefOr::T(child) = child {
            no_nul(child);
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

fn complete(operation: &mut Operation, rate_limited: bool) {
    let mut has_path = false;
    let mut has_query = false;
    for parameter in operation.parameters.iter_mut().flatten() {
        let RefOr::T(parameter) = parameter else {
            continue;
        };
        match parameter.parameter_in {
            ParameterIn::Path => {
                has_path = true;
                if let Some(RefOr::T(Schema::Object(schema))) = &mut parameter.schema
                    && is_integer(schema)
                {
                    // Every id is a `bigserial`: from 1 up.
                    schema.minimum = Some(utoipa::Number::Int(1));
                    schema.maximum = Some(utoipa::Number::Int(i64::MAX as isize));
                }
            }
            ParameterIn::Query => {
                has_query = true;
                if !matches!(parameter.required, Required::True) {
                    // utoipa has no field for it (deprecated in OpenAPI 3.1, still meaningful).
                    parameter
                        .extensions
                        .get_or_insert_with(Default::default)
                        .insert("allowEmptyValue".to_owned(), true.into());
                }
            }
            _ => {}
        }
    }
    let has_body = operation.request_body.is_some();
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let common = [
        ("400", has_body, "The body is not valid JSON"),
        ("401", secured, "No valid bearer token"),
        ("404", has_path, "No such object (or the id is not one)"),
        (
            "413",
            has_body,
            "The body is larger than the server accepts",
        ),
        ("415", has_body, "The body is not `application/json`"),
        (
            "422",
            has_body || has_query,
            "A parameter or body field is missing or has the wrong type or value; `errors` \
             names each",
        ),
        (
            "429",
            rate_limited,
            "Too many requests from this token (or, without one, this client); `Retry-After` \
             says when to try again",
        ),
        ("503", true, "The database is unavailable; try again later"),
    ];
    let responses = &mut operation.responses.responses;
    for (status, applies, description) in common {
        if applies && !responses.contains_key(status) {
            responses.insert(
                status.to_owned(),
                RefOr::T(ResponseBuilder::new().description(description).build()),
            );
        }
    }
    for (status, response) in responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if rate_limited {
            rate_limit_headers(status, response);
        }
        // Every error response carries the problem document, whoever declared it.
        if !(status.starts_with('4') || status.starts_with('5')) {
            continue;
        }
        let content = response
            .content
            .entry(PROBLEM_JSON.to_owned())
            .or_insert_with(|| RefOr::T(Content::new(None::<RefOr<Schema>>)));
        if let RefOr::T(content) = content
            && content.schema.is_none()
        {
            content.schema = Some(RefOr::Ref(Ref::from_schema_name("Problem")));
        }
    }
}

/// The headers of the API's rate limits (`web::middleware::api_rate_limit`), on a response
/// with `status`.
fn rate_limit_headers(status: &str, response: &mut openapi::Response) {
    use utoipa::openapi::{
        HeaderBuilder,
        schema::{ObjectBuilder, Type},
    };
    let header = |description: &str, schema_type| {
        HeaderBuilder::new()
            .schema(Some(ObjectBuilder::new().schema_type(schema_type)))
            .description(Some(description))
            .build()
    };
    let headers = &mut response.headers;
    headers.insert(
        "RateLimit".to_owned(),
        RefOr::T(header(
            "Where the caller stands (IETF draft-ietf-httpapi-ratelimit-headers): the policy \
             (`token`, or `client` for requests without a valid token), `r` requests left and \
             `t` seconds until the quota is whole again, e.g. `\"token\";r=599;t=1`",
            Type::String,
        )),
    );
    headers.insert(
        "RateLimit-Policy".to_owned(),
        RefOr::T(header(
            "The quota: `q` requests per `w` seconds, e.g. `\"token\";q=600;w=60` \
             (`HUD_API_RATE_LIMIT`, `HUD_API_RATE_LIMIT_ANONYMOUS`; counted per server instance)",
            Type::String,
        )),
    );
    if status == "429" {
        headers.insert(
            "Retry-After".to_owned(),
            RefOr::T(header(
                "Seconds until a request is allowed again",
                Type::Integer,
            )),
        );
    }
}

fn is_integer(schema: &openapi::schema::Object) -> bool {
    use utoipa::openapi::schema::{SchemaType, Type};
    matches!(&schema.schema_type, SchemaType::Type(Type::Integer))
}

/// The schema of a query parameter that takes a local day (`2025-12-25`, read in the caller's
/// timezone) or an RFC 3339 instant (`2025-12-25T15:00:00+01:00`), described by `description`.
pub fn day_or_instant(description: &str) -> Schema {
    use utoipa::openapi::schema::{AnyOfBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
    let text = |format| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(format)))
    };
    AnyOfBuilder::new()
        .item(text(KnownFormat::Date))
        .item(text(KnownFormat::DateTime))
        .description(Some(description))
        .build()
        .into()
}

/// The schema of a query parameter that takes one of `values`, described by `description`.
pub fn one_of_words(values: &[&str], description: &str) -> openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .description(Some(description))
        .build()
}
