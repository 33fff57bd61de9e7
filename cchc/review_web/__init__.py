"""`cchc review serve`: stewards review flagged figures in the browser, the page crop beside each choice.

`app` holds the Flask app and server, `session` the decide / undo logic over
`cchc.review` (the same checks and store as `cchc review apply`), `crops` the
page images.  Templates and static files live beside them: no build step.
"""
