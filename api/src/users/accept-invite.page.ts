/**
 * The page invite links open (docs/auth.md#endpoints `GET /user/accept-invite`): self-contained (no external
 * assets), it reads `token` from its own query string, asks for a password and posts
 * `{"token", "password"}` as JSON to the same path, then shows the outcome.
 */
export const ACCEPT_INVITE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accept your KernelCI API invitation</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
  label { display: block; margin: 1rem 0 .25rem; }
  input { width: 100%; padding: .5rem; box-sizing: border-box; }
  button { margin-top: 1rem; padding: .5rem 1rem; }
  #outcome { margin-top: 1rem; }
  .error { color: #a00; }
  .ok { color: #070; }
</style>
</head>
<body>
<h1>Accept your invitation</h1>
<form id="accept">
  <label for="password">Choose a password</label>
  <input id="password" type="password" autocomplete="new-password" required>
  <label for="confirm">Repeat it</label>
  <input id="confirm" type="password" autocomplete="new-password" required>
  <button type="submit">Set password</button>
</form>
<p id="outcome" role="status"></p>
<script>
(function () {
  var token = new URLSearchParams(window.location.search).get('token');
  var form = document.getElementById('accept');
  var outcome = document.getElementById('outcome');
  function show(text, cls) { outcome.textContent = text; outcome.className = cls; }
  if (!token) { show('This link has no invitation token. Use the link from your invitation.', 'error'); form.hidden = true; return; }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var password = document.getElementById('password').value;
    if (password !== document.getElementById('confirm').value) { show('The two passwords differ.', 'error'); return; }
    fetch(window.location.pathname, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: token, password: password })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) { form.hidden = true; show('Welcome, ' + body.username + '! You can now log in with your username and this password.', 'ok'); }
        else { show(typeof body.detail === 'string' ? body.detail : 'The request was refused.', 'error'); }
      });
    }).catch(function () { show('The server could not be reached; try again.', 'error'); });
  });
})();
</script>
</body>
</html>
`;
