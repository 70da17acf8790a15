//! The `twinpress` binary: parses the command line, runs the command, prints every problem (or
//! the whole error chain) and exits 0 (success), 1 (the site has errors) or 2 (usage error).

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use twinpress::cli::{Cli, Command};
use twinpress::BuildOptions;

fn main() -> ExitCode {
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
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err);
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::Build(args) => {
            let opts = BuildOptions {
                root: args.site.root,
                output: args.output,
                base_url: args.base_url,
                drafts: args.drafts,
            };
            let report = twinpress::build(&opts)?;
            println!(
                "Built {} into {}: {}",
                opts.root.display(),
                opts.output_dir().display(),
                report.summary()
            );
            if args.timings {
                for stage in &report.stages {
                    println!(
                        "  {:<14} {:>6} ms   peak {:>7} KiB",
                        stage.name,
                        stage.took.as_millis(),
                        stage.peak_kib
                    );
                }
            }
            Ok(())
        }
        Command::Check(args) => {
            let opts = BuildOptions {
                drafts: args.drafts,
                ..BuildOptions::new(args.site.root)
            };
            let stats = twinpress::check(&opts)?;
            let pages: usize = stats.pages.iter().sum();
            println!(
                "No problems found: {pages} pages and {} feeds would be written.",
                stats.feeds
            );
            Ok(())
        }
        Command::Serve(args) => twinpress::serve::run(&twinpress::serve::ServeOptions {
            root: args.site.root,
            bind: args.bind,
            port: args.port,
            drafts: args.drafts,
        }),
        Command::New(_) => anyhow::bail!("`twinpress new` is not available yet"),
        Command::Import(_) => anyhow::bail!("`twinpress import` is not available yet"),
    }
}

/// Prints each content problem on its own line, or else the error with its whole chain.
fn report(err: &anyhow::Error) {
    eprintln!("{}", twinpress::diagnostics::error_text(err));
}
