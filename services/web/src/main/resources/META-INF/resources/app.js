// 就近帮: the little a page needs beyond HTML forms. Everything works without it, only less live.
(function () {
  'use strict';

  // Whether the person is typing into a field of the live region (a start code, a reason): a
  // refresh then would wipe what they typed, so it waits until they leave the field or send it.
  function typingIn(live) {
    var field = document.activeElement;
    return live && field && live.contains(field) && (field.tagName === 'INPUT' || field.tagName === 'TEXTAREA')
      && field.type !== 'hidden' && field.value !== '';
  }

  // Replace the page's live region with the same region of a fresh copy of the page.
  function refreshLive() {
    if (typingIn(document.getElementById('live'))) {
      window.setTimeout(refreshLive, 2000);
      return Promise.resolve();
    }
    return fetch(window.location.href, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('live');
        var live = document.getElementById('live');
        if (fresh && live) { live.innerHTML = fresh.innerHTML; }
      })
      .catch(function () { /* the next change or tick tries again */ });
  }

  // Pushed: the server relays the service's stream; each event means "something changed".
  var pushed = document.querySelector('[data-live]');
  if (pushed && window.EventSource) {
    var source = new EventSource(pushed.getAttribute('data-live'));
    source.onmessage = refreshLive;
    // Leaving the page ends its stream at once: a browser keeps only a few connections per host, and a
    // stream left to linger (a page kept for "back") would hold one of them.
    window.addEventListener('pagehide', function () { source.close(); });
  }

  // Refreshed: boards without a push stream of their own.
  var ticking = document.querySelector('[data-refresh]');
  if (ticking) {
    window.setInterval(refreshLive, parseInt(ticking.getAttribute('data-refresh'), 10) || 5000);
  }

  // Choosing a service fills in its guide price, unless the person typed their own.
  document.querySelectorAll('[data-fills-price]').forEach(function (select) {
    var price = document.getElementById(select.getAttribute('data-fills-price'));
    var filled = price ? price.value : '';
    select.addEventListener('change', function () {
      var option = select.options[select.selectedIndex];
      var guide = option && option.getAttribute('data-guide-price');
      if (price && guide && (price.value === '' || price.value === filled)) {
        price.value = (parseInt(guide, 10) / 100).toFixed(2);
        filled = price.value;
      }
    });
    if (price && price.value === '' && select.value) {
      select.dispatchEvent(new Event('change'));
    }
  });

  // "Use my location" fills the pin from the phone's position.
  document.querySelectorAll('[data-locate]').forEach(function (button) {
    var ids = button.getAttribute('data-locate').split(',');
    if (!navigator.geolocation) { button.hidden = true; return; }
    button.addEventListener('click', function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        document.getElementById(ids[0]).value = p.coords.latitude.toFixed(6);
        document.getElementById(ids[1]).value = p.coords.longitude.toFixed(6);
      });
    });
  });
})();
