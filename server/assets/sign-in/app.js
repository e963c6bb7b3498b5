// The sign-in page: posts login and password as JSON (docs/security.md) and
// goes back to the page that sent the person here. No inline script: the
// pages' Content-Security-Policy allows only scripts served by wmsd.
'use strict';

// Only a path on this server: never another site, whatever ?next= says.
function nextPage() {
  const next = new URLSearchParams(location.search).get('next') || '/dashboard/';
  return next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/dashboard/';
}

document.getElementById('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = document.getElementById('result');
  const button = document.getElementById('submit');
  button.disabled = true;
  result.textContent = '';
  try {
    const res = await fetch('/api/v1/auth/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        login: document.getElementById('login').value,
        password: document.getElementById('password').value,
      }),
    });
    const body = await res.json().catch(() => ({}));
    if (res.ok) {
      location.assign(nextPage());
      return;
    }
    result.textContent = body.detail || ('sign-in failed (' + res.status + ')');
  } catch (e) {
    result.textContent = 'wmsd cannot be reached: ' + e.message;
  } finally {
    button.disabled = false;
  }
});
