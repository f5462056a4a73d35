"""Every cache of the site, in one place, correct by construction.

Invariants (each proved by a test in tests/test_content_version.py, test_front_cache_purges.py,
test_query_strings.py and test_page_cache.py):

1. The truth is one row in the database (``ContentVersion``). A change visitors can see moves its
   tokens in the same transaction as the change; a request reads them once (one primary-key
   query). Redis, the cache folder and process memory hold only work derived under a token, or
   under a key naming all it was made from, and made by the running code (release.py), so
   losing them, or a write to them, costs speed, never correctness or privacy.
2. Only what visitors can see moves it: drafts, autosaves, revisions, workflows, locks, comments,
   contact messages and logs do not; migrations and raw fixture loads run no handler at all.
3. Front-cache purges are an outbox (``FrontCachePurge``), written in the change's transaction
   and sent by ``send_front_cache_purges`` until the front cache accepts them; a page change
   sends at most 15, a site-wide change one ban of the whole site.
4. Cache keys are canonical: tracking parameters are dropped, any other unknown parameter
   bypasses the caches and stores nothing.
5. A cached answer says its age, so a downstream cache keeps it no longer than it holds.
"""
