//! memcached's text protocol on the wire: the few commands HUD sends (meta get, set and delete,
//! `flush_all`, `stats`) encoded into a buffer, and their answers read from a stream.
//!
//! Every command gets exactly one answer, in order — a status line (`HD`, `EN`, `NS`, `EX`,
//! `NF`, `OK`, an error), a value (`VA <len> <flags>` and the data), or a `STAT` block closed
//! by `END` — so a connection can carry many callers' commands at once and hand the answers
//! back by position (see `connection.rs`).

use std::io;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

use super::key::is_valid_memcached_key;

/// Longest status or `STAT` line accepted from a server.
const MAX_LINE: usize = 8 * 1024;
/// Largest value accepted in one answer (HUD stores at most ~1 MB per item; chunked beyond).
const MAX_VALUE: usize = 64 << 20;

/// One command, with its meta flags (`v`, `c`, `N30`, `C<cas>`, `T<ttl>`, `I`, …).
#[derive(Clone, Copy, Debug)]
pub(super) enum Command<'a> {
    /// `mg <key> <flags>`.
    Get { key: &'a str, flags: &'a [&'a str] },
    /// `ms <key> <len> <flags>` and the value.
    Set {
        key: &'a str,
        value: &'a [u8],
        flags: &'a [&'a str],
    },
    /// `md <key> <flags>`.
    Delete { key: &'a str, flags: &'a [&'a str] },
    /// `flush_all`.
    FlushAll,
    /// `stats`.
    Stats,
}

impl Command<'_> {
    /// Append the command to `out`; false (and nothing appended) when its key is not one
    /// memcached accepts — sending it would desynchronise the connection.
    pub(super) fn encode(&self, out: &mut Vec<u8>) -> bool {
        let (verb, key, flags) = match *self {
            Command::Get { key, flags } => ("mg", key, flags),
            Command::Set { key, flags, .. } => ("ms", key, flags),
            Command::Delete { key, flags } => ("md", key, flags),
            Command::FlushAll => {
                out.extend_from_slice(b"flush_all\r\n");
                return true;
            }
            Command::Stats => {
                out.extend_from_slice(b"stats\r\n");
                return true;
            }
        };
        let flags_ok = flags
            .iter()
            .all(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_graphic()));
        if !is_valid_memcached_key(key) || !flags_ok {
            return false;
        }
        out.extend_from_slice(verb.as_bytes());
        out.push(b' ');
        out.extend_from_slice(key.as_bytes());
        if let Command::Set { value, .. } = self {
            out.push(b' ');
            out.extend_from_slice(value.len().to_string().as_bytes());
        }
        for flag in flags {
            out.push(b' ');
            out.extend_from_slice(flag.as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        if let Command::Set { value, .. } = self {
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        true
    }
}

/// The kind of an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Status {
    /// `VA`: a value follows (it may be an empty lease placeholder).
    Value,
    /// `HD`: success without a value (stored, deleted, or a get without `v`).
    Done,
    /// `EN`: no such item.
    Miss,
    /// `NS`: not stored.
    NotStored,
    /// `EX`: the CAS did not match.
    Exists,
    /// `NF`: not found (delete, or a CAS store over a missing item).
    NotFound,
    /// `OK` (`flush_all`).
    Ok,
    /// A `STAT` block.
    Stats(Vec<(String, String)>),
    /// `SERVER_ERROR …`: the server could not do it (out of memory…); the connection is fine.
    ServerError(String),
    /// `ERROR` / `CLIENT_ERROR …`: the server did not understand; the connection is suspect.
    ClientError(String),
}

/// One answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Reply {
    pub status: Status,
    /// `c<cas>`.
    pub cas: Option<u64>,
    /// `W`: this caller won the lease (or the right to refresh).
    pub win: bool,
    /// `X`: the item was invalidated.
    pub stale: bool,
    /// The value of a `VA` answer.
    pub data: Option<Vec<u8>>,
}

impl Reply {
    fn status(status: Status) -> Self {
        Reply {
            status,
            cas: None,
            win: false,
            stale: false,
            data: None,
        }
    }
}

fn invalid(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what)
}

/// Read one line (without its `\r\n`) into `line`; an error at EOF.
async fn read_line<R: AsyncBufRead + Unpin>(reader: &mut R, line: &mut Vec<u8>) -> io::Result<()> {
    line.clear();
    let n = (&mut *reader)
        .take(MAX_LINE as u64 + 2)
        .read_until(b'\n', line)
        .await?;
    if n == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    if !line.ends_with(b"\r\n") {
        return Err(invalid(format!(
            "memcached line not terminated ({n} bytes)"
        )));
    }
    line.truncate(line.len() - 2);
    Ok(())
}

/// Read the next answer from `reader` (`line` is a reusable buffer).
pub(super) async fn read_reply<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    line: &mut Vec<u8>,
) -> io::Result<Reply> {
    read_line(reader, line).await?;
    let text = std::str::from_utf8(line).map_err(|_| invalid("non-UTF-8 answer".into()))?;
    let mut words = text.split(' ');
    let head = words.next().unwrap_or_default();
    let status = match head {
        "VA" => Status::Value,
        "HD" => Status::Done,
        "EN" => Status::Miss,
        "NS" => Status::NotStored,
        "EX" => Status::Exists,
        "NF" => Status::NotFound,
        "OK" => Status::Ok,
        "STAT" => return read_stats(reader, line).await,
        "SERVER_ERROR" => return Ok(Reply::status(Status::ServerError(text.to_owned()))),
        "ERROR" | "CLIENT_ERROR" => return Ok(Reply::status(Status::ClientError(text.to_owned()))),
        _ => return Err(invalid(format!("unexpected memcached answer {text:?}"))),
    };
    let len = if status == Status::Value {
        let len: usize = words
            .next()
            .and_then(|n| n.parse().ok())
            .filter(|&n| n <= MAX_VALUE)
            .ok_or_else(|| invalid(format!("bad value length in {text:?}")))?;
        Some(len)
    } else {
        None
    };
    let mut reply = Reply::status(status);
    for flag in words.filter(|w| !w.is_empty()) {
        let (name, value) = flag.split_at(1);
        match name {
            "c" => reply.cas = value.parse().ok(),
            "W" => reply.win = true,
            "X" => reply.stale = true,
            _ => {}
        }
    }
    if let Some(len) = len {
        let mut data = vec![0; len + 2];
        reader.read_exact(&mut data).await?;
        if !data.ends_with(b"\r\n") {
            return Err(invalid("memcached value not terminated".into()));
        }
        data.truncate(len);
        reply.data = Some(data);
    }
    Ok(reply)
}

/// The rest of a `stats` answer, after its first `STAT` line (still in `line`).
async fn read_stats<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    line: &mut Vec<u8>,
) -> io::Result<Reply> {
    let mut stats = Vec::new();
    loop {
        let text = String::from_utf8_lossy(line);
        match text.strip_prefix("STAT ") {
            Some(rest) => {
                let (name, value) = rest.split_once(' ').unwrap_or((rest, ""));
                stats.push((name.to_owned(), value.to_owned()));
            }
            None if text == "END" => return Ok(Reply::status(Status::Stats(stats))),
            None => return Err(invalid(format!("unexpected line in stats: {text:?}"))),
        }
        read_line(reader, line).await?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(command: Command) -> String {
        let mut out = Vec::new();
        assert!(command.encode(&mut out));
        String::from_utf8(out).unwrap()
    }

    async fn replies(wire: &[u8]) -> io::Result<Vec<Reply>> {
        let mut reader = tokio::io::BufReader::new(wire);
        let mut line = Vec::new();
        let mut out = Vec::new();
        while !reader.buffer().is_empty() || out.is_empty() {
            out.push(read_reply(&mut reader, &mut line).await?);
            if tokio::io::AsyncBufReadExt::fill_buf(&mut reader)
                .await?
                .is_empty()
            {
                break;
            }
        }
        Ok(out)
    }

    #[test]
    fn commands_are_encoded_as_memcached_expects() {
        assert_eq!(
            encoded(Command::Get {
                key: "k1",
                flags: &["v", "c", "N2"]
            }),
            "mg k1 v c N2\r\n"
        );
        assert_eq!(
            encoded(Command::Set {
                key: "k",
                value: b"abc",
                flags: &["C7", "T60"]
            }),
            "ms k 3 C7 T60\r\nabc\r\n"
        );
        assert_eq!(
            encoded(Command::Delete {
                key: "k",
                flags: &["I", "T30"]
            }),
            "md k I T30\r\n"
        );
        assert_eq!(encoded(Command::FlushAll), "flush_all\r\n");
    }

    #[test]
    fn keys_and_flags_that_would_break_the_framing_are_refused() {
        for key in ["", "a b", "a\r\nmd x", &"k".repeat(251)] {
            let mut out = Vec::new();
            assert!(
                !Command::Get { key, flags: &[] }.encode(&mut out),
                "{key:?}"
            );
            assert!(out.is_empty());
        }
        let mut out = Vec::new();
        assert!(
            !Command::Delete {
                key: "k",
                flags: &["I T1"]
            }
            .encode(&mut out)
        );
    }

    #[tokio::test]
    async fn answers_are_read_in_order_with_their_flags() {
        let wire = b"VA 3 c42 W\r\nabc\r\nVA 0 c43 Z\r\n\r\nHD c44 X W\r\nEN\r\nNS\r\nEX\r\nNF\r\nOK\r\n\
            STAT pid 1\r\nSTAT version 1.6.18\r\nEND\r\nSERVER_ERROR out of memory\r\nCLIENT_ERROR bad\r\n";
        let got = replies(wire).await.unwrap();
        assert_eq!(got.len(), 11);
        assert_eq!(got[0].status, Status::Value);
        assert_eq!(got[0].data.as_deref(), Some(&b"abc"[..]));
        assert_eq!(
            (got[0].cas, got[0].win, got[0].stale),
            (Some(42), true, false)
        );
        assert_eq!(got[1].data.as_deref(), Some(&b""[..]));
        assert!(!got[1].win);
        assert_eq!(
            (got[2].status.clone(), got[2].stale, got[2].win),
            (Status::Done, true, true)
        );
        let statuses: Vec<Status> = got[3..8].iter().map(|r| r.status.clone()).collect();
        assert_eq!(
            statuses,
            [
                Status::Miss,
                Status::NotStored,
                Status::Exists,
                Status::NotFound,
                Status::Ok
            ]
        );
        assert_eq!(
            got[8].status,
            Status::Stats(vec![
                ("pid".into(), "1".into()),
                ("version".into(), "1.6.18".into())
            ])
        );
        assert!(matches!(got[9].status, Status::ServerError(_)));
        assert!(matches!(got[10].status, Status::ClientError(_)));
    }

    #[tokio::test]
    async fn garbage_and_truncated_answers_are_errors_not_panics() {
        for wire in [
            &b"VA 5\r\nab\r\n"[..],
            b"VA x\r\n",
            b"VA 99999999999\r\n",
            b"HELLO\r\n",
            b"HD",
            b"VA 2\r\nabcd",
            b"STAT a b\r\nnope\r\n",
        ] {
            assert!(
                replies(wire).await.is_err(),
                "{:?}",
                String::from_utf8_lossy(wire)
            );
        }
    }
}
