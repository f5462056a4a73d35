vcl 4.1;
# Front cache for the EnFuse site. It keeps what the app marks public (Cache-Control s-maxage,
# less the Age a page-cache hit reports) and drops what the app's purge worker tells it to
# (enfuse/caching/purges.py: PURGE a page with its feed and query-string variants, BAN a path
# and everything below it, "/" being the whole site). Its cache keys follow the app's
# (enfuse/caching/querystrings.py): tracking parameters dropped, parameters sorted, any
# parameter but ?page= and ?tag= passed to the app uncached.
# In docker-compose the backend is the web service (gunicorn on web:8000); scripts/bench and
# tests/test_production_varnish.py run it on loopback in front of their own gunicorn.

import std;

backend web {
    .host = "web";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: the app servers. Never publish this port to the internet; the proxy in
# front refuses PURGE and BAN from outside.
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # Matched on the stored object's X-Url (the canonical URL it was fetched with), so
        # Varnish's ban lurker can clear old bans. Paths are Wagtail slugs: no regex syntax
        # but ".", escaped here.
        set req.http.X-Ban-Path = regsuball(regsub(req.url, "\?.*$", ""), "\.", "\\.");
        if (req.method == "PURGE") {
            # The page, its RSS feed (feed/) and its listing variants (?page=2, ?tag=...).
            ban("obj.http.X-Url ~ ^" + req.http.X-Ban-Path + "(feed/)?(\?.*)?$");
        } else {
            ban("obj.http.X-Url ~ ^" + req.http.X-Ban-Path);
        }
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Personal or per-request pages go straight to the app.
    if (req.url ~ "^/(admin|search|contact|healthz|documents)(/|\?|$)") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|; )(sessionid|messages)=") {
        return (pass);
    }
    # Campaign and click-tracking parameters change nothing on a page: dropped, so such
    # visits share the page's cached copy; then the rest sorted into one order.
    set req.url = regsuball(req.url, "(?i)([?&])(utm_[a-z0-9_]+|fbclid|gclid|gbraid|wbraid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|_hsenc|_hsmi|mkt_tok)(=[^&]*)?(?=&|$)", "\1");
    set req.url = regsuball(req.url, "&&+", "&");
    set req.url = regsub(req.url, "\?&", "?");
    set req.url = regsub(req.url, "[?&]+$", "");
    set req.url = std.querysort(req.url);
    # Any other parameter: the app answers each such URL itself, and none is stored.
    if (req.url ~ "[?&](?!(page|tag)=)[^&]") {
        return (pass);
    }
    # Public pages do not depend on any other cookie (e.g. an old csrftoken).
    unset req.http.Cookie;
    return (hash);
}

# The proxy in front says whether the visitor came over https; Django redirects plain http, so
# the two must never share a cached answer.
sub vcl_hash {
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    # Only a 200 the app marks public (pages: s-maxage; static files: public, immutable) is
    # kept: not redirects, errors or anything else.
    if (beresp.status != 200 || beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "private|no-cache|no-store"
        || beresp.http.Cache-Control !~ "public|s-maxage") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    set beresp.http.X-Url = bereq.url;
    # Not compressed here: nginx in front compresses for the browsers that accept it. Stored
    # compressed, every hit for a client without gzip would be unzipped again (half the
    # throughput for such clients, measured).
}

sub vcl_deliver {
    unset resp.http.X-Url;
    if (obj.hits > 0) {
        set resp.http.X-Front-Cache = "hit";
    } else {
        set resp.http.X-Front-Cache = "miss";
    }
}
