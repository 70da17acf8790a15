//! Who may use the desk: the holder of the token `serve` printed (kept afterwards in an
//! `HttpOnly`, `SameSite=Strict` cookie), asking by a host name the server answers as (no DNS
//! rebinding), and — for every request that writes — from a page of the desk itself (the
//! `Origin` header names this server: no cross-site request forgery).

/// The cookie that carries the token after the first visit.
pub const COOKIE: &str = "twinpress_desk";

/// What the desk accepts.
#[derive(Debug, Clone)]
pub struct Guard {
    token: String,
    /// `host:port` values a request's `Host` may carry.
    hosts: Vec<String>,
    /// Listening on every address: any IP address (never a name) with this port is this server.
    any_ip_port: Option<u16>,
    /// `[desk] hosts`: names a reverse proxy passes on (`desk.example.kz`, or with a port).
    names: Vec<String>,
}

/// Why a request is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No token, or a wrong one.
    Token,
    /// A `Host` this server is not (a name that only resolves here).
    Host,
    /// A write from another page than the desk's (or with no `Origin`).
    Origin,
    /// Team mode: no live session (never signed in, expired, signed out, account removed).
    Session,
    /// Team mode: the account's role may not do this.
    Role,
}

impl Guard {
    /// A guard with a fresh random token, for a server bound to `bind` on `port`.
    pub fn new(bind: &str, port: u16) -> std::io::Result<Guard> {
        let mut bytes = [0u8; 24];
        getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
        let token = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Guard::with_token(token, bind, port))
    }

    pub fn with_token(token: String, bind: &str, port: u16) -> Guard {
        let mut hosts = vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ];
        let own = if bind.contains(':') {
            format!("[{bind}]:{port}")
        } else {
            format!("{bind}:{port}")
        };
        let every = matches!(bind, "0.0.0.0" | "::" | "[::]");
        if !every && !hosts.contains(&own) {
            hosts.push(own);
        }
        Guard {
            token,
            hosts,
            any_ip_port: every.then_some(port),
            names: Vec::new(),
        }
    }

    /// The guard answering to `names` too (`[desk] hosts`).
    pub fn with_names(mut self, names: &[String]) -> Guard {
        self.names = names.iter().map(|n| n.to_ascii_lowercase()).collect();
        self
    }

    /// Whether `host` (a request's `Host`) is this server: one of its addresses, any IP
    /// address of ours when it listens on all, or a name of `[desk] hosts` (with any port when
    /// the name has none). A DNS-rebinding page reaches the server by a name of its own.
    pub fn host_ok(&self, host: Option<&str>) -> bool {
        let host = host.map(str::trim).unwrap_or("");
        let an_ip_of_ours = self
            .any_ip_port
            .is_some_and(|port| host.parse::<std::net::SocketAddr>().is_ok_and(|a| a.port() == port));
        let lower = host.to_ascii_lowercase();
        let bare = match lower.rsplit_once(':') {
            Some((name, port)) if !name.contains(']') && port.bytes().all(|b| b.is_ascii_digit()) => name,
            Some((name, port)) if name.ends_with(']') && port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => lower.as_str(),
        };
        let named = self
            .names
            .iter()
            .any(|n| *n == lower || (!n.contains(':') && *n == bare));
        an_ip_of_ours || named || self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }

    /// Whether a writing request's `Origin` is this very server as the browser reached it
    /// (`https://` when it came through TLS).
    pub fn origin_ok(&self, origin: Option<&str>, host: Option<&str>, secure: bool) -> bool {
        let host = host.map(str::trim).unwrap_or("");
        let scheme = if secure { "https://" } else { "http://" };
        !host.is_empty() && origin.is_some_and(|o| o.strip_prefix(scheme).is_some_and(|h| h.eq_ignore_ascii_case(host)))
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// The `Set-Cookie` value that keeps the token for the desk's pages.
    pub fn cookie(&self) -> String {
        format!("{COOKIE}={}; Path=/_desk/; HttpOnly; SameSite=Strict", self.token)
    }

    /// Whether `given` is the token, compared in constant time.
    pub fn is_token(&self, given: &str) -> bool {
        given.len() == self.token.len()
            && given
                .bytes()
                .zip(self.token.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    /// Checks a request: its `Host`, its cookie (or `query_token`, on the first visit) and, when
    /// it writes, its `Origin`.
    pub fn check(
        &self,
        host: Option<&str>,
        cookie: Option<&str>,
        query_token: Option<&str>,
        origin: Option<&str>,
        writes: bool,
    ) -> Result<(), Refusal> {
        if !self.host_ok(host) {
            return Err(Refusal::Host);
        }
        let from_cookie = cookie.and_then(|c| {
            c.split(';')
                .filter_map(|kv| kv.trim().split_once('='))
                .find(|(k, _)| *k == COOKIE)
                .map(|(_, v)| v)
        });
        let token_ok = from_cookie.is_some_and(|t| self.is_token(t)) || query_token.is_some_and(|t| self.is_token(t));
        if !token_ok {
            return Err(Refusal::Token);
        }
        if writes && !self.origin_ok(origin, host, false) {
            return Err(Refusal::Origin);
        }
        Ok(())
    }
}

/// Whether `bind` is a loopback address, where the desk is on by default.
pub fn is_loopback(bind: &str) -> bool {
    bind == "localhost"
        || bind
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> Guard {
        Guard::with_token("a".repeat(48), "127.0.0.1", 8080)
    }

    #[test]
    fn the_token_opens_the_desk_and_the_cookie_keeps_it_open() {
        let g = guard();
        let t = "a".repeat(48);
        assert_eq!(g.check(Some("127.0.0.1:8080"), None, Some(&t), None, false), Ok(()));
        let cookie = format!("other=1; {COOKIE}={t}");
        assert_eq!(
            g.check(Some("localhost:8080"), Some(&cookie), None, None, false),
            Ok(())
        );
        assert_eq!(
            g.check(Some("127.0.0.1:8080"), None, None, None, false),
            Err(Refusal::Token)
        );
        assert_eq!(
            g.check(
                Some("127.0.0.1:8080"),
                Some("twinpress_desk=b"),
                Some("aaaa"),
                None,
                false
            ),
            Err(Refusal::Token)
        );
        assert!(g.cookie().contains("HttpOnly") && g.cookie().contains("SameSite=Strict"));
    }

    #[test]
    fn a_foreign_host_name_is_refused_even_with_the_token() {
        let g = guard();
        let t = "a".repeat(48);
        for host in [Some("evil.example:8080"), Some("127.0.0.1:9090"), None] {
            assert_eq!(
                g.check(host, None, Some(&t), None, false),
                Err(Refusal::Host),
                "{host:?}"
            );
        }
    }

    #[test]
    fn writes_need_the_desks_own_origin() {
        let g = guard();
        let c = format!("{COOKIE}={}", "a".repeat(48));
        let host = Some("127.0.0.1:8080");
        assert_eq!(
            g.check(host, Some(&c), None, Some("http://127.0.0.1:8080"), true),
            Ok(())
        );
        for origin in [
            None,
            Some("http://evil.example"),
            Some("null"),
            Some("http://localhost:8080"),
        ] {
            assert_eq!(
                g.check(host, Some(&c), None, origin, true),
                Err(Refusal::Origin),
                "{origin:?}"
            );
        }
    }

    #[test]
    fn on_every_address_any_ip_of_ours_is_a_host_but_no_name_is() {
        let g = Guard::with_token("a".repeat(48), "0.0.0.0", 8080);
        let t = "a".repeat(48);
        for host in ["192.168.1.5:8080", "[fe80::1]:8080", "127.0.0.1:8080", "localhost:8080"] {
            assert_eq!(g.check(Some(host), None, Some(&t), None, false), Ok(()), "{host}");
        }
        for host in ["192.168.1.5:9999", "rebind.example:8080", "192.168.1.5"] {
            assert_eq!(
                g.check(Some(host), None, Some(&t), None, false),
                Err(Refusal::Host),
                "{host}"
            );
        }
    }

    #[test]
    fn the_names_of_desk_hosts_are_answered_with_any_port_and_no_other_name_is() {
        let g = guard().with_names(&["desk.example.kz".to_string(), "intra:8443".to_string()]);
        for host in ["desk.example.kz", "DESK.example.kz:443", "intra:8443", "127.0.0.1:8080"] {
            assert!(g.host_ok(Some(host)), "{host}");
        }
        for host in [
            "evil.example",
            "desk.example.kz.evil.example",
            "intra:9999",
            "intra",
            "",
        ] {
            assert!(!g.host_ok(Some(host)), "{host}");
        }
        assert!(g.origin_ok(Some("https://desk.example.kz"), Some("desk.example.kz"), true));
        assert!(!g.origin_ok(Some("http://desk.example.kz"), Some("desk.example.kz"), true));
        assert!(!g.origin_ok(Some("https://evil.example"), Some("desk.example.kz"), true));
    }

    #[test]
    fn loopback_binds_are_known() {
        assert!(is_loopback("127.0.0.1") && is_loopback("::1") && is_loopback("localhost"));
        assert!(!is_loopback("0.0.0.0") && !is_loopback("192.168.1.5"));
    }

    #[test]
    fn fresh_tokens_differ() {
        let a = Guard::new("127.0.0.1", 1).unwrap();
        let b = Guard::new("127.0.0.1", 1).unwrap();
        assert_ne!(a.token(), b.token());
        assert_eq!(a.token().len(), 48);
    }
}
