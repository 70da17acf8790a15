//! The command line: `build`, `serve`, `check`, `new`, `import` (CONTENT.md, "Commands") and
//! `mime-types`, `init`, `completions` and `man`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// twinpress: builds the bilingual (Kazakh / Russian) partnership portal.
#[derive(Debug, Parser)]
#[command(name = "twinpress", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into a folder any static host can serve.
    Build(BuildArgs),
    /// Build, serve on 127.0.0.1:1111, rebuild on change and reload the browser.
    Serve(ServeArgs),
    /// Check content, templates, links and translations without writing a site.
    Check(CheckArgs),
    /// Write a new article with its front matter.
    New(NewArgs),
    /// Turn raw press-release text into draft articles.
    Import(ImportArgs),
    /// Build, check and publish the site as a new release of its target ([deploy] in site.toml).
    Deploy(DeployArgs),
    /// List each template, the variables its pages receive and the components a site may define again.
    Templates(TemplatesArgs),
    /// Manage the desk's accounts (.twinpress/users.toml): with one, the desk and preview are for signed-in accounts.
    User(UserArgs),
    /// Print the content types twinpress serves, for a web server or a test's static server.
    MimeTypes(MimeTypesArgs),
    /// Write a small working bilingual site into a new or empty folder.
    Init(InitArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one per command into a folder.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The folder to publish to [default: [deploy] target of site.toml].
    #[arg(long, value_name = "FOLDER")]
    pub target: Option<String>,
    /// The address the target is served at [default: base_url of site.toml].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// List the target's releases: when, by whom, from which commit, what changed.
    #[arg(long, conflicts_with = "rollback")]
    pub list: bool,
    /// Make RELEASE (default: the one before the live one) live again.
    #[arg(long, value_name = "RELEASE", num_args = 0..=1, default_missing_value = "")]
    pub rollback: Option<String>,
}

#[derive(Debug, Args)]
pub struct UserArgs {
    /// The site's folder (its accounts are in .twinpress/users.toml there).
    #[arg(long, default_value = ".", value_name = "DIR", global = true)]
    pub root: PathBuf,
    #[command(subcommand)]
    pub action: UserAction,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Add an account; its password is asked for on the terminal.
    Add {
        /// The account's name (small Latin letters, digits, `.`, `_`, `-`).
        name: String,
        /// What it may do: author, editor or admin.
        #[arg(long, value_parser = ["author", "editor", "admin"])]
        role: String,
        /// The e-mail its commits carry.
        #[arg(long)]
        email: Option<String>,
        /// Read the password from standard input (its first line) instead of the terminal.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts and their roles.
    List,
    /// Remove an account: its sessions end.
    Remove { name: String },
    /// Set an account's password: its sessions end.
    Passwd {
        name: String,
        /// Read the password from standard input (its first line) instead of the terminal.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Args)]
pub struct TemplatesArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// As Markdown (docs/templates.md), not text for the terminal.
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the site (made if missing; must be empty).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write twinpress.1 and a page per command (twinpress-build.1, …) into DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MimeTypesArgs {
    /// As a JSON object (".css": "text/css; charset=utf-8") or an nginx `types` block with its
    /// `charset_types`, to `include` in the server's configuration.
    #[arg(long, value_enum, default_value = "json")]
    pub format: MimeFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum MimeFormat {
    Json,
    Nginx,
}

/// What every command takes.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site's folder (with site.toml, content/, templates/, static/).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site [default: ROOT/public].
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The address the site is served from, overriding base_url in site.toml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include articles marked draft = true.
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated after the build's time (the clock, or SOURCE_DATE_EPOCH).
    #[arg(long)]
    pub future: bool,
    /// Print the time and peak memory of each stage.
    #[arg(long)]
    pub timings: bool,
    /// Replace the output folder even when it holds files no twinpress build wrote there
    /// (they are deleted).
    #[arg(long)]
    pub force: bool,
    /// Hold at most this many MiB of article text in memory; the rest waits in an unnamed
    /// temporary file in $TMPDIR until its pages are written (a large archive on a small
    /// machine).
    #[arg(long, value_name = "MIB", default_value_t = crate::options::BODIES_IN_MEMORY >> 20)]
    pub bodies_in_memory: usize,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to listen on.
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on (127.0.0.1 keeps the preview on this machine).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Leave out articles marked draft = true (the preview shows them by default).
    #[arg(long)]
    pub no_drafts: bool,
    /// Serve the editors' desk (/_desk/) on a bind that is not loopback too (it is on for
    /// 127.0.0.1 and ::1; anyone who can reach the port and has the printed link can write).
    #[arg(long, conflicts_with = "no_desk")]
    pub desk: bool,
    /// Serve no desk at all.
    #[arg(long)]
    pub no_desk: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Check with drafts included, as errors like any article.
    #[arg(long)]
    pub drafts: bool,
    /// An article missing in a language is an error, not a warning.
    #[arg(long)]
    pub require_translations: bool,
    /// Instead, crawl the site built into DIR from /index.html: every link, asset, feed and
    /// hreflang must lead somewhere, and hreflang pairs must point both ways.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// With --output: the address the site was built for [default: base_url of site.toml].
    #[arg(long, value_name = "URL", requires = "output")]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The headline.
    pub title: String,
    /// The home side: a city key [default with --translate-from: the article's].
    #[arg(long, required_unless_present = "translate_from")]
    pub region: Option<String>,
    /// The partner side: a city key (repeat for more) [default with --translate-from: the
    /// article's].
    #[arg(long = "partner", required_unless_present = "translate_from")]
    pub partners: Vec<String>,
    /// The article's language [default: the site's first language, or for --translate-from
    /// the other one].
    #[arg(long)]
    pub lang: Option<String>,
    /// Tags, in the article's language (repeat, or separate with commas).
    #[arg(long = "tags", value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Start the translation of this article: same stem, date, region and partners.
    #[arg(long, value_name = "PATH")]
    pub translate_from: Option<PathBuf>,
    /// The article's date [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<jiff::civil::Date>,
    /// A photo (JPEG, PNG or WebP) to copy beside the article and list in [[photos]], the first
    /// as the lead (repeat for more).
    #[arg(long = "photo", value_name = "FILE")]
    pub photos: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Raw press-release text files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The releases' language [default: detected from each text].
    #[arg(long)]
    pub lang: Option<String>,
    /// Print the articles instead of writing them.
    #[arg(long)]
    pub dry_run: bool,
    /// A photo that came with the release (JPEG, PNG or WebP), copied beside the article and
    /// listed in [[photos]] (repeat for more; with one release file).
    #[arg(long = "photo", value_name = "FILE")]
    pub photos: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn build_takes_the_contract_flags() {
        let cli = Cli::try_parse_from([
            "twinpress",
            "build",
            "--root",
            "site",
            "--output",
            "out",
            "--base-url",
            "https://x.kz/",
            "--drafts",
        ])
        .unwrap();
        let Command::Build(b) = cli.command else {
            panic!("not build")
        };
        assert_eq!(b.site.root, PathBuf::from("site"));
        assert_eq!(b.output, Some(PathBuf::from("out")));
        assert!(b.drafts);
    }
}
