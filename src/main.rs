//! The `twinpress` binary: parses the command line, runs the command, prints every problem (or
//! the whole error chain) and exits 0 (success), 1 (the site has errors) or 2 (usage error).

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use twinpress::cli::{self, Cli, Command};
use twinpress::BuildOptions;

fn main() -> ExitCode {
    return_large_buffers();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // `check` never writes: its errors do not say that nothing was.
    let writes = !matches!(cli.command, Command::Check(_));
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err, writes);
            ExitCode::from(1)
        }
    }
}

/// Photos are decoded and resized in buffers of several megabytes, one set per thread. glibc's
/// malloc raises its mmap threshold as such buffers are freed, and then keeps them in per-thread
/// arenas, where they fragment: a cold build of 10,000 articles with 2,000 camera photos peaked
/// at 456 MB. A fixed threshold of 1 MB gives every large buffer back to the system when it is
/// freed (60 photos over 300 articles: 134 MB → 77 MB peak).
fn return_large_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a malloc parameter; called first thing, before other threads.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::Build(args) => build(args),
        Command::Check(args) if args.output.is_some() => check_output(args),
        Command::Check(args) => check(args),
        Command::Serve(args) => serve(args),
        Command::New(args) => new_article(args),
        Command::Import(args) => import(args),
        Command::Deploy(args) => deploy(args),
        Command::User(args) => user(args),
        Command::Templates(args) => {
            let style = if args.markdown {
                twinpress::check::templates::Style::Markdown
            } else {
                twinpress::check::templates::Style::Text
            };
            let opts = BuildOptions {
                future: true,
                ..BuildOptions::new(args.site.root)
            };
            print!("{}", twinpress::check::templates::report(&opts, style)?);
            Ok(())
        }
        Command::MimeTypes(args) => mime_types(args),
        Command::Init(args) => init(args),
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut command, "twinpress", &mut std::io::stdout());
            Ok(())
        }
        Command::Man(args) => man(args),
    }
}

fn build(args: cli::BuildArgs) -> Result<()> {
    let opts = BuildOptions {
        root: args.site.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        future: args.future,
        now: None,
        replace: if args.force {
            twinpress::write::Replace::Anything
        } else {
            twinpress::write::Replace::OwnOnly
        },
        versioned_assets: true,
        bodies_in_memory: args.bodies_in_memory.saturating_mul(1 << 20),
    };
    let report = twinpress::build_before_exit(&opts)?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    println!(
        "Built {} into {}: {}",
        opts.root.display(),
        opts.output_dir().display(),
        report.summary()
    );
    if args.timings {
        for stage in &report.stages {
            // The peak is known where /proc says it (Linux).
            let peak = match stage.peak_kib {
                0 => "n/a".to_string(),
                kib => format!("{kib} KiB"),
            };
            println!(
                "  {:<14} {:>6} ms   peak {:>11}",
                stage.name,
                stage.took.as_millis(),
                peak
            );
        }
    }
    Ok(())
}

fn check_output(args: cli::CheckArgs) -> Result<()> {
    let dir = args.output.unwrap_or_default();
    let base_url = match args.base_url {
        Some(url) => twinpress::config::normalize_base_url(&url).map_err(|e| anyhow::anyhow!("--base-url: {e}"))?,
        None => twinpress::config::Config::load(&args.site.root)?.base_url,
    };
    if !dir.join("index.html").is_file() {
        anyhow::bail!(
            "{} has no index.html: build the site into it first (twinpress build --output DIR)",
            dir.display()
        );
    }
    let urls = twinpress::urls::Urls::new(&base_url).map_err(anyhow::Error::msg)?;
    let crawl = twinpress::check::crawl::crawl(&urls, &twinpress::check::crawl::fetch_from(&dir));
    for b in &crawl.broken {
        eprintln!("error: {}: {}", dir.join(&b.page).display(), b.message);
    }
    if !crawl.broken.is_empty() {
        anyhow::bail!(
            "{} broken links in {} files crawled from {}",
            crawl.broken.len(),
            crawl.fetched.len(),
            dir.display()
        );
    }
    println!(
        "All links lead somewhere: {} files crawled from {}/index.html.",
        crawl.fetched.len(),
        dir.display()
    );
    Ok(())
}

fn user(args: cli::UserArgs) -> Result<()> {
    use cli::UserAction;
    use twinpress::desk::accounts::{Users, USERS_FILE};
    let root = args.root;
    let mut users = Users::load(&root)?;
    match args.action {
        UserAction::List => {
            if users.accounts.is_empty() {
                println!("No accounts: the desk opens with the token `serve` prints (`twinpress user add NAME --role editor` adds one)");
            }
            for a in &users.accounts {
                println!(
                    "{}  {}{}",
                    a.name,
                    a.role.as_str(),
                    a.email.as_deref().map(|e| format!("  <{e}>")).unwrap_or_default()
                );
            }
            return Ok(());
        }
        UserAction::Add {
            name,
            role,
            email,
            password_stdin,
        } => {
            twinpress::desk::accounts::check_name(&name)?;
            let role = twinpress::desk::accounts::Role::parse(&role)?;
            let password = read_password(password_stdin, &format!("Password for {name}: "))?;
            users.add(&name, email.as_deref(), role, &password)?;
            users.save(&root)?;
            println!("Added {name} ({}) to {USERS_FILE}", role.as_str());
        }
        UserAction::Remove { name } => {
            users.remove(&name)?;
            users.save(&root)?;
            println!("Removed {name}: its sessions are over");
        }
        UserAction::Passwd { name, password_stdin } => {
            if users.find(&name).is_none() {
                anyhow::bail!("There is no account `{name}`: `twinpress user list` lists them");
            }
            let password = read_password(password_stdin, &format!("New password for {name}: "))?;
            users.set_password(&name, &password)?;
            users.save(&root)?;
            println!("Set the password of {name}: its sessions are over");
        }
    }
    Ok(())
}

/// A password from standard input's first line, or typed on the terminal (not shown) twice.
fn read_password(stdin: bool, prompt: &str) -> Result<String> {
    if stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("Cannot read the password from standard input")?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    let first = rpassword::prompt_password(prompt)
        .context("Cannot read the password from the terminal (give it on standard input with --password-stdin)")?;
    let again = rpassword::prompt_password("Again: ").context("Cannot read the password from the terminal")?;
    if first != again {
        anyhow::bail!("The two passwords differ: nothing was changed");
    }
    Ok(first)
}

fn deploy(args: cli::DeployArgs) -> Result<()> {
    use twinpress::deploy::{self, DeployOptions};
    let opts = DeployOptions {
        target: args.target,
        base_url: args.base_url,
        ..DeployOptions::new(args.site.root)
    };
    let log = |line: &str| eprintln!("{line}");
    if args.list {
        let deploy::Listing { target, releases, live } = deploy::list(&opts)?;
        if releases.is_empty() {
            println!(
                "{} has no releases yet: `twinpress deploy` publishes one",
                target.display()
            );
        }
        for (release, record) in releases {
            let mark = if live.as_deref() == Some(release.name.as_str()) {
                "* "
            } else {
                "  "
            };
            match record {
                Some(r) => println!(
                    "{mark}{}  {}  by {}{}  {} pages changed, {} of {} files copied",
                    r.release,
                    r.published,
                    r.by,
                    r.commit.map(|c| format!("  commit {c}")).unwrap_or_default(),
                    r.pages_changed,
                    r.copied,
                    r.files
                ),
                None => println!("{mark}{}  (no record)", release.name),
            }
        }
        return Ok(());
    }
    if let Some(to) = args.rollback {
        let name = (!to.is_empty()).then_some(to.as_str());
        let (target, live) = deploy::rollback(&opts, name, &log)?;
        println!("{live} is live again at {}", target.display());
        return Ok(());
    }
    let (target, done) = deploy::deploy(&opts, &log)?;
    println!("{}", done.summary(&target));
    Ok(())
}

fn check(args: cli::CheckArgs) -> Result<()> {
    let report = twinpress::check::check(&twinpress::check::CheckOptions {
        site: BuildOptions {
            drafts: args.drafts,
            // Scheduled articles are checked like any other.
            future: true,
            ..BuildOptions::new(args.site.root)
        },
        require_translations: args.require_translations,
    })?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    for (lang, missing) in &report.missing_translations {
        eprintln!(
            "note: {} article{} not in `{lang}`",
            missing.len(),
            if missing.len() == 1 { " is" } else { "s are" }
        );
    }
    if !report.errors.is_empty() {
        return Err(twinpress::diagnostics::Problems(report.errors).into());
    }
    println!(
        "No errors: {} pages and {} feeds would be written; {} warning{}.",
        report.pages,
        report.feeds,
        report.warnings.len(),
        if report.warnings.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

fn serve(args: cli::ServeArgs) -> Result<()> {
    twinpress::serve::run(&twinpress::serve::ServeOptions {
        root: args.site.root,
        bind: args.bind,
        port: args.port,
        drafts: !args.no_drafts,
        desk: if args.no_desk {
            twinpress::serve::DeskMode::Off
        } else if args.desk {
            twinpress::serve::DeskMode::On
        } else {
            twinpress::serve::DeskMode::Loopback
        },
    })
}

fn new_article(args: cli::NewArgs) -> Result<()> {
    let path = twinpress::editor::new_article(
        &args.site.root,
        &twinpress::editor::NewArticle {
            title: args.title,
            region: args.region,
            partners: args.partners,
            lang: args.lang,
            tags: args.tags,
            translate_from: args.translate_from,
            date: args.date,
            photos: args.photos,
        },
    )?;
    println!("Wrote {} (a draft: set draft = false to publish it)", path.display());
    Ok(())
}

fn import(args: cli::ImportArgs) -> Result<()> {
    let results = twinpress::import::import_files(
        &args.site.root,
        &args.files,
        args.lang.as_deref(),
        &args.photos,
        args.dry_run,
    )?;
    for r in &results {
        match &r.written {
            Some(path) => println!("{} → {}", r.input.display(), path.display()),
            None => println!(
                "{} → (dry run, not written) {}",
                r.input.display(),
                r.imported.draft.path().display()
            ),
        }
        for line in &r.imported.report {
            println!("  {line}");
        }
        if r.written.is_none() {
            println!("{}", r.imported.draft.to_text());
        }
    }
    Ok(())
}

fn mime_types(args: cli::MimeTypesArgs) -> Result<()> {
    print!(
        "{}",
        match args.format {
            twinpress::cli::MimeFormat::Json => twinpress::mime::json(),
            twinpress::cli::MimeFormat::Nginx => twinpress::mime::nginx(),
        }
    );
    Ok(())
}

fn init(args: cli::InitArgs) -> Result<()> {
    let zone = twinpress::zone::Zone::named(twinpress::zone::DEFAULT).map_err(anyhow::Error::msg)?;
    let today = zone.today().map_err(anyhow::Error::msg)?.to_string();
    let files = twinpress::init::init(&args.dir, &today)?;
    for f in &files {
        println!("wrote {}", args.dir.join(f).display());
    }
    let root = args.dir.display();
    println!(
        "A new site in {root}: `twinpress serve --root {root}` shows it, `twinpress build --root {root}` builds it."
    );
    Ok(())
}

fn man(args: cli::ManArgs) -> Result<()> {
    let command = <Cli as clap::CommandFactory>::command();
    match args.out {
        Some(dir) => {
            std::fs::create_dir_all(&dir).with_context(|| format!("Cannot create {}", dir.display()))?;
            clap_mangen::generate_to(command, &dir).with_context(|| format!("Cannot write into {}", dir.display()))?;
        }
        None => match clap_mangen::Man::new(command).render(&mut std::io::stdout()) {
            // `twinpress man | head` closes the pipe early: that is no error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other?,
        },
    }
    Ok(())
}

/// Prints each content problem on its own line, or else the error with its whole chain.
fn report(err: &anyhow::Error, writes: bool) {
    let text = if writes {
        twinpress::diagnostics::error_text(err)
    } else {
        twinpress::diagnostics::error_text_ending(err, "")
    };
    eprintln!("{text}");
}
