vcl 4.1;
# Front cache for the EnFuse site. It keeps what the app marks public (Cache-Control
# s-maxage) and drops a page when Wagtail's frontend cache sends PURGE for it (on publish,
# unpublish, move, delete; all pages on a studio-settings or snippet change).
# In docker-compose the backend is the web service; scripts/bench runs it on loopback.

import std;

backend web {
    .host = "__BACKEND_HOST__";
    .port = "__BACKEND_PORT__";
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
        # The page and its listing variants (?page=2, ?tag=...), whatever the query string.
        ban("req.url ~ ^" + regsub(req.url, "\?.*$", "") + "(\?.*)?$");
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

sub vcl_backend_response {
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "private|no-cache|no-store") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Front-Cache = "hit";
    } else {
        set resp.http.X-Front-Cache = "miss";
    }
}
