vcl 4.1;
# Front cache for the EnFuse site. It keeps what the app marks public (Cache-Control
# s-maxage) and drops a page when Wagtail's frontend cache sends PURGE for it (on publish,
# unpublish, move, delete; all pages on a studio-settings or snippet change).
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
# front refuses PURGE from outside.
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # The page, its listing variants (?page=2, ?tag=...) and its RSS feed (feed/), whatever
        # the query string. Matched on the stored object's X-Url, so Varnish's ban lurker can
        # clear old bans.
        ban("obj.http.X-Url ~ ^" + regsub(req.url, "\?.*$", "") + "(feed/)?(\?.*)?$");
        # What no page purge names but a publish or a studio change alters: the sitemap's
        # list and dates, and the medical disclaimer (studio settings).
        ban("obj.http.X-Url ~ ^/(sitemap\.xml|medical-disclaimer/)");
        return (synth(200, "Purged"));
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
    # Only what the app marks public (pages: s-maxage; static files: public, immutable) is
    # kept: not redirects, errors or anything else that says nothing.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "private|no-cache|no-store"
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
