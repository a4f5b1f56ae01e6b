//! The `hud` command line: `serve`, `migrate`, `users …`.

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::{apps::accounts, config::Config, db, serve, telemetry};

/// HUD: web pages → word clouds → search.
#[derive(Parser)]
#[command(name = "hud", version, about)]
pub struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (applies migrations first).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    Users(UsersCommand),
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Create a user. The password comes from HUD_ADMIN_PASSWORD or an interactive prompt.
    Create {
        /// Username.
        name: String,
        /// E-mail address (default: NAME@localhost).
        #[arg(long)]
        email: Option<String>,
        /// Give the user access to /admin.
        #[arg(long)]
        admin: bool,
    },
    /// List users.
    List,
    /// Grant or revoke administrator rights.
    SetAdmin {
        /// Username.
        name: String,
        /// `true` to grant, `false` to revoke.
        #[arg(action = clap::ArgAction::Set)]
        admin: bool,
    },
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(&cli.config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(error) => {
            eprintln!("hud: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("hud: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    let database = db::connect(&config).await?;
    let pool = database.pool.clone();
    let result = async {
        db::migrate(&pool).await?;
        match cli.command {
            Command::Serve => {
                let state = crate::state(config, pool.clone())?;
                serve::run(state).await
            }
            Command::Migrate => {
                println!("migrations are up to date");
                Ok(())
            }
            Command::Users(command) => users(&pool, command).await,
        }
    }
    .await;
    pool.close().await;
    // Dropping the database handle stops the private cluster if this process started it.
    drop(database);
    result
}

async fn users(pool: &sqlx::PgPool, command: UsersCommand) -> anyhow::Result<()> {
    match command {
        UsersCommand::Create { name, email, admin } => {
            let password = match std::env::var("HUD_ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    let first = rpassword::prompt_password(format!("Password for {name}: "))
                        .context(
                            "reading the password (set HUD_ADMIN_PASSWORD when not interactive)",
                        )?;
                    let again = rpassword::prompt_password("Password again: ")?;
                    if first != again {
                        bail!("the passwords differ");
                    }
                    first
                }
            };
            let email = email.unwrap_or_else(|| format!("{name}@localhost"));
            let id =
                accounts::model::create_from_cli(pool, &name, &email, &password, admin).await?;
            println!(
                "created user {name} (id {id}){}",
                if admin { " with admin rights" } else { "" }
            );
        }
        UsersCommand::List => {
            for user in accounts::model::list(pool, 10_000, 0).await? {
                println!(
                    "{:>6}  {:<24}  {:<32}  {}",
                    user.id,
                    user.username,
                    user.email,
                    if user.is_admin { "admin" } else { "" }
                );
            }
        }
        UsersCommand::SetAdmin { name, admin } => {
            if !accounts::model::set_admin(pool, &name, admin).await? {
                bail!("no user called {name}");
            }
            println!("{name}: admin = {admin}");
        }
    }
    Ok(())
}
