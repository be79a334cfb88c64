use axum::serve::ListenerExt;
use server::config::Config;
use tracing_subscriber::EnvFilter;

// Each argon2 hash allocates 19 MiB on a blocking thread; glibc's per-thread arenas kept
// them, and a 2,000-person registration burst left the server at 2 GB resident.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("RUST_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn")),
        )
        .init();
    if let Err(error) = run().await {
        tracing::error!("{error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let config = Config::from_env()?;
    tracing::info!(database = %app::db::redact(&config.database_url), "starting NetEvent");
    let (router, state) = server::build(&config).await?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("migrate") => {
            tracing::info!("migrations applied");
            return Ok(());
        }
        Some("seed-conference") => return seed_conference(&state, &args[1..]).await,
        Some(other) => {
            return Err(format!(
                "unknown command {other:?}: use `server`, `server migrate` or \
                 `server seed-conference [--seed N] [--attendees N]`"
            ))
        }
        None => {}
    }
    if config.seed_demo {
        server::seed::seed_demo(&state.pool, state.photos.as_ref(), config.addr).await?;
    }
    server::spawn_housekeeping(&state);
    server::spawn_mail_worker(&config).await?;

    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    // Without TCP_NODELAY, small responses wait on Nagle's algorithm (tens of ms each).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tracing::info!("NetEvent is serving on http://{}", config.addr);
    // `into_make_service`: serving the Router itself rebuilds its whole route table for every
    // accepted connection (axum calls `with_state` per connection), ~250 KB each here.
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal(config.drain))
    .await
    .map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// `server seed-conference [--seed N] [--attendees N]`: the load-test conference.
async fn seed_conference(state: &server::AppState, args: &[String]) -> Result<(), String> {
    let mut spec = server::conference::Spec::default();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| format!("{flag} takes a number"))?;
        match flag.as_str() {
            "--seed" => spec.seed = value,
            "--attendees" => spec.big_event = value as usize,
            _ => return Err(format!("unknown option {flag:?}")),
        }
    }
    let started = std::time::Instant::now();
    let seeded = server::conference::seed(&state.pool, state.photos.as_ref(), &spec).await?;
    println!(
        "Seeded in {:.1} s: {} events, {} attendees, {} connections, {} appointments, {} check-ins.\n\
         Big event: id {}, http://{}/e/{}\n\
         Organiser: {} / {}; attendee i of event k: a<i>.e<k>@conference.example / {}",
        started.elapsed().as_secs_f64(),
        seeded.events,
        seeded.attendees,
        seeded.connections,
        seeded.appointments,
        seeded.checkins,
        seeded.big_event_id,
        std::env::var("NETEVENT_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into()),
        seeded.big_event_code,
        server::conference::ORGANIZER_EMAIL,
        server::conference::PASSWORD,
        server::conference::PASSWORD,
    );
    Ok(())
}

/// SIGTERM (a service manager, a rolling restart): `/readyz` turns 503 while requests are
/// still served for `drain` (the load balancer's checks notice and send elsewhere), then the
/// listener closes and the requests in flight finish. Ctrl-C skips the wait.
async fn shutdown_signal(drain: std::time::Duration) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    let terminated = tokio::select! {
        _ = ctrl_c => false,
        _ = terminate => true,
    };
    server::DRAINING.store(true, std::sync::atomic::Ordering::Relaxed);
    if terminated {
        tracing::info!(?drain, "stopping: not ready any more, still serving");
        tokio::time::sleep(drain).await;
    }
    tracing::info!("shutting down: draining in-flight requests");
}
