// The billing page's "Add a card" form (see app/src/features/portal/billing.rs, AddCard):
// Stripe.js draws the card fields and confirms a SetupIntent that Oikos made; Oikos then
// attaches the card it produced. Plain JavaScript, so that the wasm bundle carries none of it.
(() => {
  "use strict";
  const form = document.getElementById("add-card");
  if (!form || form.dataset.ready) return;
  form.dataset.ready = "1";
  form.hidden = false;
  const note = document.getElementById("card-needs-script");
  if (note) note.hidden = true;
  const errors = document.getElementById("card-errors");
  const button = form.querySelector("button[type=submit]");

  const loadStripe = () =>
    new Promise((resolve, reject) => {
      if (window.Stripe) return resolve(window.Stripe);
      const script = document.createElement("script");
      script.src = form.dataset.stripeJs;
      script.onload = () => resolve(window.Stripe);
      script.onerror = () => reject(new Error("Stripe.js could not be loaded."));
      document.head.appendChild(script);
    });

  // Oikos's JSON API, with the session cookie; its errors carry a message.
  const post = async (url, body) => {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body || {}),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((json.error && json.error.message) || "Something went wrong.");
    return json;
  };

  const busy = (on) => {
    button.disabled = on;
    button.textContent = on ? "Adding…" : "Add card";
    form.setAttribute("aria-busy", on ? "true" : "false");
  };

  loadStripe()
    .then((Stripe) => {
      const stripe = Stripe(form.dataset.stripeKey);
      const card = stripe.elements().create("card");
      card.mount("#card-element");
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        errors.textContent = "";
        busy(true);
        try {
          const intent = await post(form.dataset.setup);
          const result = await stripe.confirmCardSetup(intent.client_secret, {
            payment_method: { card },
          });
          if (result.error) throw new Error(result.error.message || "The card was refused.");
          const method = result.setupIntent.payment_method;
          await post(form.dataset.attach, { payment_method_id: method.id || method });
          const next = new URL(window.location.href);
          next.searchParams.set("card_added", "1");
          window.location.assign(next.toString());
        } catch (error) {
          errors.textContent = error.message;
          busy(false);
        }
      });
    })
    .catch((error) => {
      errors.textContent = error.message;
      button.disabled = true;
    });
})();
