//! The `hud` command line: `serve`, `migrate`, `users …`, `cache …`, `captcha …`, `ml …`.

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::{
    apps::{accounts, captcha, prognosis, search, wordcloud},
    cache::{Cache, generation},
    config::Config,
    db, serve, telemetry,
};

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
    /// Inspect or flush the model cache.
    #[command(subcommand)]
    Cache(CacheCommand),
    /// Captcha images.
    #[command(subcommand)]
    Captcha(CaptchaCommand),
    /// Run job workers and the scheduler only (no HTTP server), on any machine.
    Worker,
    /// Register or list word-cloud pages.
    #[command(subcommand)]
    Pages(PagesCommand),
    /// Serve the bundled demo pages, register and crawl them on an empty database, then serve HUD.
    Demo {
        /// Where the demo pages are served (loopback; the crawler is allowed to fetch it).
        #[arg(long, env = "HUD_DEMO_BIND", default_value = "127.0.0.1:8001")]
        site: std::net::SocketAddr,
    },
    /// Search the crawled pages (building the index from the database), or show its size.
    Search {
        /// The query (`solar OR wind -nuclear`, `energ*`, …).
        #[arg(required_unless_present = "stats")]
        query: Option<String>,
        /// Print the index's words, postings, bytes and build time instead.
        #[arg(long, conflicts_with = "query")]
        stats: bool,
        /// `newest` or `relevance`.
        #[arg(long)]
        sort: Option<String>,
        /// First day (YYYY-MM-DD, UTC) or RFC 3339 instant.
        #[arg(long)]
        from: Option<String>,
        /// Last day (inclusive) or RFC 3339 instant.
        #[arg(long)]
        to: Option<String>,
        /// Only pages in this language (ISO 639-1).
        #[arg(long)]
        lang: Option<String>,
        /// Result page, from 1.
        #[arg(long)]
        page: Option<String>,
    },
    /// Prognosis models: import the sample data, train models.
    #[command(subcommand)]
    Ml(MlCommand),
    /// Crawl pages now and wait until their crawls are stored.
    Crawl {
        /// A page id or URL.
        page: Option<String>,
        /// Every active page.
        #[arg(long, conflicts_with = "page")]
        all: bool,
    },
}

#[derive(Subcommand)]
enum MlCommand {
    /// Store the 569 Wisconsin breast-cancer samples (those not stored yet).
    Import,
    /// Train models on the stored labelled samples (stratified 10-fold cross-validation).
    Train {
        /// gradient-boosting, random-forest, svc, knn, logistic-regression or all.
        #[arg(long)]
        algorithm: String,
        /// Grid-search gradient boosting's learning rate, max features and max depth.
        #[arg(long)]
        grid: bool,
        /// Seed of every random choice (same seed, same model).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Model name (default: the algorithm and the time).
        #[arg(long)]
        name: Option<String>,
    },
    /// Print the stratified fold of each bundled WDBC sample as CSV, with its diagnosis and
    /// features (no database; for comparing with other libraries on the same folds).
    Folds {
        /// Number of folds.
        #[arg(long, default_value_t = 10)]
        folds: usize,
        /// Seed of the fold assignment.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Cross-validate on the bundled WDBC samples as `train` does, without storing a model, and
    /// print each fold's accuracy as JSON (no database).
    Cv {
        /// gradient-boosting, random-forest, svc, knn, logistic-regression or all.
        #[arg(long)]
        algorithm: String,
        /// Number of folds.
        #[arg(long, default_value_t = 10)]
        folds: usize,
        /// Seed of every random choice (the folds as `hud ml folds` prints them).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Hyperparameters to change from the defaults, as a JSON object (`{"k": 5}`); one
        /// algorithm only.
        #[arg(long)]
        hyperparameters: Option<String>,
    },
}

#[derive(Subcommand)]
enum PagesCommand {
    /// Register a page (its first crawl is queued).
    Add {
        /// The page's URL.
        url: String,
        /// A title to show instead of the page's own.
        #[arg(long)]
        title: Option<String>,
    },
    /// List registered pages.
    List,
}

#[derive(Subcommand)]
enum CaptchaCommand {
    /// Generate captcha images (HUD_CAPTCHA_WIDTH × HUD_CAPTCHA_HEIGHT) into the database.
    Generate {
        /// How many.
        #[arg(long, default_value_t = 100)]
        count: usize,
        /// Write them as PNG files with `answers.tsv` into this folder instead (no database).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum CacheCommand {
    /// Show memcached servers and their item counts and hit ratios.
    Stats,
    /// Render the enabled sub-apps' public pages (every language) into the cache now.
    Warm,
    /// Abandon every cached entry in every process (bumps the cache generation; sessions are
    /// kept in PostgreSQL and are not affected).
    Flush,
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
    wordcloud::fetch::install_crypto_provider();
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
    let size = captcha::generate::Size {
        width: config.captcha.width,
        height: config.captcha.height,
    };
    if let Command::Captcha(CaptchaCommand::Generate {
        count,
        out: Some(dir),
    }) = &cli.command
    {
        return captcha::cli::generate_into_dir(dir, size, *count);
    }
    // The cross-validation commands read the bundled samples, not the database.
    match &cli.command {
        Command::Ml(MlCommand::Folds { folds, seed }) => {
            return prognosis::cli::folds(*folds, *seed);
        }
        Command::Ml(MlCommand::Cv {
            algorithm,
            folds,
            seed,
            hyperparameters,
        }) => {
            let algorithms = prognosis::cli::algorithms(algorithm)?;
            return prognosis::cli::cv(&algorithms, *folds, *seed, hyperparameters.as_deref());
        }
        _ => {}
    }
    let database = db::connect(&config).await?;
    let pool = database.pool.clone();
    let result = async {
        db::migrate(&pool).await?;
        match cli.command {
            Command::Serve => {
                let state = crate::state(config, pool.clone()).await?;
                serve::run(state).await
            }
            Command::Migrate => {
                println!("migrations are up to date");
                Ok(())
            }
            Command::Users(command) => {
                let cache = cli_cache(&config, &pool).await?;
                users(&pool, &cache, command, &config).await
            }
            Command::Cache(command) => cache(config, &pool, command).await,
            Command::Demo { site } => demo(config, pool.clone(), site).await,
            Command::Worker => {
                let state = crate::state(config, pool.clone()).await?;
                serve::run_worker(state).await
            }
            Command::Pages(command) => {
                let state = crate::state(config, pool.clone()).await?;
                match command {
                    PagesCommand::Add { url, title } => {
                        wordcloud::cli::add(&state, &url, title.as_deref()).await
                    }
                    PagesCommand::List => wordcloud::cli::list(&state).await,
                }
            }
            Command::Search {
                query,
                stats,
                sort,
                from,
                to,
                lang,
                page,
            } => {
                let state = crate::state(config, pool.clone()).await?;
                if stats {
                    search::cli::stats(&state).await
                } else {
                    let params = search::request::SearchParams {
                        q: query,
                        from,
                        to,
                        sort,
                        page,
                        lang,
                    };
                    search::cli::search(&state, params).await
                }
            }
            Command::Ml(command) => {
                let cache = cli_cache(&config, &pool).await?;
                match command {
                    MlCommand::Import => prognosis::cli::import(&pool, &cache).await,
                    MlCommand::Train {
                        algorithm,
                        grid,
                        seed,
                        name,
                    } => {
                        let algorithms = prognosis::cli::algorithms(&algorithm)?;
                        let options = prognosis::ml::TrainOptions {
                            seed,
                            grid,
                            ..Default::default()
                        };
                        prognosis::cli::train(
                            &pool,
                            &cache,
                            &config.data_dir,
                            &algorithms,
                            options,
                            name,
                        )
                        .await
                    }
                    MlCommand::Folds { .. } | MlCommand::Cv { .. } => {
                        bail!("the cross-validation commands are answered without a database")
                    }
                }
            }
            Command::Crawl { page, all } => {
                let state = crate::state(config, pool.clone()).await?;
                wordcloud::cli::crawl_now(&state, page.as_deref(), all).await
            }
            Command::Captcha(CaptchaCommand::Generate { count, .. }) => {
                let cache = cli_cache(&config, &pool).await?;
                captcha::cli::generate_into_db(&pool, &cache, size, count).await
            }
        }
    }
    .await;
    pool.close().await;
    // Dropping the database handle stops the private cluster if this process started it.
    drop(database);
    result
}

/// `hud demo`: the word-cloud demo (bundled pages served on `site`, registered and crawled),
/// the prognosis demo (samples imported, a model of each algorithm trained) when that sub-app
/// is enabled, then HUD itself.
async fn demo(
    config: Config,
    pool: sqlx::PgPool,
    site: std::net::SocketAddr,
) -> anyhow::Result<()> {
    let (state, site_server) = wordcloud::cli::demo(config, pool, site).await?;
    if state.apps.enabled("prognosis") {
        prognosis::cli::demo(&state.db, &state.cache, &state.config.data_dir).await?;
    }
    let served = serve::run(state).await;
    site_server.abort();
    served
}

/// A cache handle for operator commands: writes invalidate what running servers hold.
async fn cli_cache(config: &Config, pool: &sqlx::PgPool) -> anyhow::Result<Cache> {
    let schema = db::MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    let cache = Cache::new(
        crate::cache::CacheSettings::from_config(config),
        schema,
        Some(pool.clone()),
    );
    cache.sync_generation(pool).await?;
    Ok(cache)
}

async fn cache(config: Config, pool: &sqlx::PgPool, command: CacheCommand) -> anyhow::Result<()> {
    match command {
        CacheCommand::Warm => warm(config, pool).await?,
        CacheCommand::Stats => {
            let cache = cli_cache(&config, pool).await?;
            let generation = generation::current(pool).await?;
            println!("cache generation {generation}");
            if cache.servers().is_empty() {
                println!("no memcached servers configured (HUD_MEMCACHED); in-process tier only");
            }
            for (server, stats) in cache.server_stats().await {
                let get = |k: &str| {
                    stats
                        .get(k)
                        .and_then(|v| v.parse::<u64>().ok())
                        .unwrap_or(0)
                };
                if stats.is_empty() {
                    println!("{server:<24} unreachable");
                    continue;
                }
                let (hits, misses) = (get("get_hits"), get("get_misses"));
                let ratio = if hits + misses == 0 {
                    0.0
                } else {
                    hits as f64 / (hits + misses) as f64
                };
                println!(
                    "{server:<24} items {:>8}  bytes {:>12}  hit ratio {:>5.1}%  evictions {}",
                    get("curr_items"),
                    get("bytes"),
                    ratio * 100.0,
                    get("evictions")
                );
            }
        }
        CacheCommand::Flush => {
            // A bump in PostgreSQL: running servers switch generations through NOTIFY.
            let generation = generation::bump(pool).await?;
            println!("cache flushed: generation {generation}");
        }
    }
    Ok(())
}

/// `hud cache warm`: warm-up renders pages through the real router, so it needs the whole state.
async fn warm(config: Config, pool: &sqlx::PgPool) -> anyhow::Result<()> {
    let state = crate::state(config, pool.clone()).await?;
    let report = crate::web::warm::warm(&state).await;
    println!(
        "warmed {} pages in {} ms ({} failures)",
        report.pages,
        report.elapsed.as_millis(),
        report.failures
    );
    anyhow::ensure!(
        report.failures == 0,
        "{} warm-up pages failed (see the log)",
        report.failures
    );
    Ok(())
}

async fn users(
    pool: &sqlx::PgPool,
    cache: &Cache,
    command: UsersCommand,
    config: &Config,
) -> anyhow::Result<()> {
    let min_len = config.accounts.password_min_length;
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
                accounts::model::create_from_cli(pool, &name, &email, &password, admin, min_len)
                    .await?;
            println!(
                "created user {name} (id {id}){}",
                if admin { " with admin rights" } else { "" }
            );
        }
        UsersCommand::List => {
            let list = accounts::model::list(pool, "", 10_000, 0).await?;
            for user in list.users {
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
            if !accounts::model::set_admin(pool, cache, &name, admin).await? {
                bail!("no user called {name}");
            }
            println!("{name}: admin = {admin}");
        }
    }
    Ok(())
}
