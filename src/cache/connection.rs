//! One multiplexed connection to a memcached server, shared by every request of the process.
//!
//! Callers hand in encoded commands; a writer task sends whatever has queued up since its last
//! write in one `write` (under load, dozens of requests' commands per system call), and a reader
//! task hands the answers back by position — memcached answers every command, in order. So a
//! cache read costs a channel send and a wake-up, not a pool checkout and two system calls of
//! its own, and memcached reads many commands per `read` too (bench/RESULTS.md, issue 16's A/B).
//!
//! Failure model: a caller that gives up (timeout, cancelled request) just drops its receiver;
//! its answer still arrives in order and is discarded, so the stream never desynchronises. A
//! read or write error, or an answer that cannot be parsed, breaks the connection: every
//! waiting caller gets `None` at once and the owner opens a new connection.

use std::{
    collections::VecDeque,
    io,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
};

use tokio::{
    io::{AsyncWriteExt, BufReader},
    net::TcpStream,
    sync::{mpsc, oneshot},
    task::AbortHandle,
};

use super::wire::{self, Reply};

/// Bytes gathered into one write before it is sent.
const WRITE_BATCH: usize = 64 * 1024;

struct Job {
    bytes: Vec<u8>,
    answers: usize,
    done: oneshot::Sender<Vec<Reply>>,
}

/// Callers waiting for answers, in the order their commands were written.
struct Waiting {
    answers: usize,
    got: Vec<Reply>,
    done: oneshot::Sender<Vec<Reply>>,
}

#[derive(Default)]
struct Shared {
    /// Set once, under the `waiting` lock, when the connection breaks.
    broken: AtomicBool,
    waiting: Mutex<VecDeque<Waiting>>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Waiting>> {
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Mark broken and fail every waiting caller (their senders are dropped).
    fn break_off(&self) {
        let mut waiting = self.lock();
        self.broken.store(true, Ordering::Release);
        waiting.clear();
    }
}

/// A connection; dropping it closes the socket.
pub(super) struct Connection {
    jobs: mpsc::UnboundedSender<Job>,
    shared: Arc<Shared>,
    tasks: [AbortHandle; 2],
}

impl Drop for Connection {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl Connection {
    /// Connect to `host:port`.
    pub(super) async fn open(addr: &str) -> io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (read, write) = stream.into_split();
        let shared = Arc::new(Shared::default());
        let (jobs, queue) = mpsc::unbounded_channel();
        let writer = tokio::spawn(write_loop(write, queue, shared.clone()));
        let reader = tokio::spawn(read_loop(
            BufReader::with_capacity(64 * 1024, read),
            shared.clone(),
        ));
        Ok(Connection {
            jobs,
            shared,
            tasks: [writer.abort_handle(), reader.abort_handle()],
        })
    }

    /// Whether the connection has failed (a new one is needed).
    pub(super) fn is_broken(&self) -> bool {
        self.shared.broken.load(Ordering::Acquire)
    }

    /// Send encoded commands that produce `answers` answers; their answers, or `None` when the
    /// connection broke first. The caller bounds the wait (a timeout drops the receiver).
    pub(super) async fn call(&self, bytes: Vec<u8>, answers: usize) -> Option<Vec<Reply>> {
        if answers == 0 {
            return Some(Vec::new());
        }
        let (done, reply) = oneshot::channel();
        self.jobs
            .send(Job {
                bytes,
                answers,
                done,
            })
            .ok()?;
        reply.await.ok()
    }
}

async fn write_loop(
    mut socket: tokio::net::tcp::OwnedWriteHalf,
    mut queue: mpsc::UnboundedReceiver<Job>,
    shared: Arc<Shared>,
) {
    let mut buffer = Vec::with_capacity(WRITE_BATCH);
    while let Some(first) = queue.recv().await {
        // Let the other requests that are ready on this worker queue their commands first, so
        // that under load one write carries many (without: ~1.25 commands per write).
        tokio::task::yield_now().await;
        buffer.clear();
        {
            let mut waiting = shared.lock();
            if shared.broken.load(Ordering::Acquire) {
                return;
            }
            let mut job = Some(first);
            while let Some(Job {
                bytes,
                answers,
                done,
            }) = job.take()
            {
                // A caller that already gave up costs nothing but its bytes; it stays in the
                // queue so the answers keep their positions.
                buffer.extend_from_slice(&bytes);
                waiting.push_back(Waiting {
                    answers,
                    got: Vec::with_capacity(answers),
                    done,
                });
                if buffer.len() < WRITE_BATCH {
                    job = queue.try_recv().ok();
                }
            }
        }
        if socket.write_all(&buffer).await.is_err() {
            shared.break_off();
            return;
        }
    }
}

async fn read_loop(mut socket: BufReader<tokio::net::tcp::OwnedReadHalf>, shared: Arc<Shared>) {
    let mut line = Vec::with_capacity(256);
    loop {
        let Ok(reply) = wire::read_reply(&mut socket, &mut line).await else {
            break;
        };
        let mut waiting = shared.lock();
        let Some(front) = waiting.front_mut() else {
            // An answer nobody asked for: the stream cannot be trusted.
            drop(waiting);
            tracing::warn!("memcached sent an unrequested answer; reconnecting");
            break;
        };
        front.got.push(reply);
        if front.got.len() == front.answers
            && let Some(Waiting { got, done, .. }) = waiting.pop_front()
        {
            drop(waiting);
            let _ = done.send(got);
        }
    }
    shared.break_off();
}
