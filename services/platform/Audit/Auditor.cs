using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Dit.Platform.Audit;

/// <summary>
/// Who read or changed a record: a person (user id and roles) or a machine (its key holder), and the person they acted
/// for where one records for another.
/// </summary>
public sealed record Auditor(string Role, string Id, string? Name, string? OnBehalfOf = null)
{
    /// <summary>The authenticated caller of <paramref name="context"/>: its id, every role it holds, its name if it has one.</summary>
    public static Auditor Of(HttpContext context)
    {
        var user = context.User;
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An audited endpoint must require a caller.");
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().Order(StringComparer.Ordinal);
        return new Auditor(string.Join(",", roles), id, user.FindFirstValue(ClaimTypes.Name));
    }
}
