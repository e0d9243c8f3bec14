// A real OpenID Connect provider on 127.0.0.1 for the sign-in test (node provider.js PORT REDIRECT_URI).
// Any login and password pass its development login form; the login is the e-mail it vouches for.
import Provider from "oidc-provider";

const [port, redirectUri] = process.argv.slice(2);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: "cockpit",
      client_secret: "test-only-client-secret",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email: id, email_verified: true, name: id.split("@")[0] }),
  }),
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  // The claims in the ID token itself: Streamlit reads st.user from it, not from the userinfo endpoint.
  conformIdTokenClaims: false,
  // The consent step asks nothing: a ministry's own app is trusted by its provider.
  loadExistingGrant: async (ctx) => {
    const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
provider.listen(Number(port), "127.0.0.1", () => console.log("ready"));
