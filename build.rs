//! Rebuild when a migration is added: `sqlx::migrate!` embeds `migrations/` at compile time, and
//! without this cargo does not notice a new file there (a build reusing its target directory
//! would run with the old set). The build script sqlx's documentation recommends.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
