using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dit.Identity;

/// <summary>
/// Clients that sign their token requests (<c>private_key_jwt</c>): OpenIddict validates the assertion — signature,
/// issuer = subject = client id, audience this provider, expiry — with the keys this adds from the client's
/// <see cref="ProviderClient.JwksUri"/> (read at each request: a development provider, a rotated key is seen at once);
/// and an assertion is taken once (its <c>jti</c> remembered until it expires).
/// </summary>
public static class ClientAssertions
{
    private static readonly ConcurrentDictionary<string, DateTimeOffset> Used = new();
    private static readonly HttpClient Keys = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static void AddKeyResolution(OpenIddictServerBuilder options) =>
        options.AddEventHandler<OpenIddictServerEvents.ValidateTokenContext>(handler => handler
            .UseInlineHandler(async context =>
            {
                if (!context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion)) return;
                var client = DevelopmentProvider.FindClient(context.Transaction, context.Transaction.Request?.ClientId);
                if (client?.JwksUri is null) return;
                var jwks = new JsonWebKeySet(await Keys.GetStringAsync(client.JwksUri));
                context.TokenValidationParameters.IssuerSigningKeys = jwks.GetSigningKeys();
                context.TokenValidationParameters.ValidIssuers = [client.ClientId];
                context.TokenValidationParameters.ValidateIssuer = true;
                // OpenIddict 7 expects the newer "client-authentication+jwt"; CIS2's clients send "JWT", as ours does.
                context.TokenValidationParameters.ValidTypes = ["JWT", "client-authentication+jwt"];
                context.TokenValidationParameters.ValidAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
            })
            .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom))
        // A "JWT"-typed assertion reads as an ID token to OpenIddict 7: it is the client's assertion, validated as one above.
        .AddEventHandler<OpenIddictServerEvents.ValidateTokenContext>(handler => handler
            .UseInlineHandler(context =>
            {
                if (!context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion) || context.Principal is not { } principal) return default;
                principal.SetTokenType(TokenTypeIdentifiers.Private.ClientAssertion);
                return default;
            })
            .SetOrder(OpenIddictServerHandlers.Protection.ValidatePrincipal.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom));

    /// <summary>
    /// At the token endpoint, after OpenIddict's own checks of any assertion: a client registered with keys must have sent
    /// a valid assertion (no secret is taken from it), and each assertion is taken once.
    /// </summary>
    public static void AddAssertionRequirement(OpenIddictServerBuilder options) =>
        options.AddEventHandler<OpenIddictServerEvents.ProcessAuthenticationContext>(handler => handler
            .UseInlineHandler(context =>
            {
                // The dispatch that authenticates the client (a later one, for the code, does not look at the assertion).
                if (context.EndpointType != OpenIddictServerEndpointType.Token || !context.ValidateClientAssertion) return default;
                var client = DevelopmentProvider.FindClient(context.Transaction, context.ClientId ?? context.Transaction.Request?.ClientId);
                if (client?.JwksUri is null) return default;
                if (context.ClientAssertionPrincipal is not { } assertion)
                    context.Reject(Errors.InvalidClient, "This client signs its requests (private_key_jwt): no secret is taken.");
                else if (!FirstUse(context.Transaction, assertion))
                    context.Reject(Errors.InvalidClient, "That client assertion was used already.");
                return default;
            })
            .SetOrder(int.MaxValue - 100_000)   // after all of OpenIddict's own checks of the request
            .SetType(OpenIddictServerHandlerType.Custom));

    /// <summary>Whether this is the first time the assertion's <c>jti</c> is seen (remembered until it expires).</summary>
    private static bool FirstUse(OpenIddictServerTransaction transaction, ClaimsPrincipal assertion)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (old, until) in Used) if (until < now) Used.TryRemove(old, out _);
        var id = assertion.FindFirst(Claims.JwtId)?.Value;
        var expires = long.TryParse(assertion.FindFirst(Claims.ExpiresAt)?.Value, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : now.AddMinutes(5);
        return id is not null && Used.TryAdd($"{transaction.Request?.ClientId}:{id}", expires);
    }
}
