//! The attack suite of issue 17: each test performs an attack as an attacker would send it and
//! checks that HUD refuses it.

mod account_controls;
mod captcha_pass;
mod captcha_pool;
mod csrf;
mod exposure;
mod lockout;
mod login;
mod rate_limit;
mod redirect;
mod render_limit;
mod sessions;
mod slowloris;
mod socket_dir;
mod ssrf;
mod uploads;
