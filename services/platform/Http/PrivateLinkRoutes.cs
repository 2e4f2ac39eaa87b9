using System.Text.RegularExpressions;

namespace Dit.Platform.Http;

/// <summary>
/// The routes whose path carries a private link's secret (the calendar feed's token, the questionnaire's), each declared
/// once by the service that maps it (<c>ServiceDefinition.PrivateLinks</c>). Every log line and log scope of the process, at
/// any level, and every traced request has the secret replaced (<see cref="Redacted"/>): ASP.NET Core's own
/// "Request starting …/calendar/{token}.ics" lines included, whatever <c>Logging:LogLevel</c> says.
/// </summary>
public sealed class PrivateLinkRoutes
{
    public const string Redacted = "[private]";

    private readonly List<string> _prefixes = [];
    private Regex _secret = new("(?!)");

    public IReadOnlyList<string> Prefixes => _prefixes;

    internal void Add(string prefix)
    {
        if (_prefixes.Contains(prefix)) return;
        _prefixes.Add(prefix);
        // The path segment after any declared prefix, wherever it appears in a text (a URL, a path, a message).
        _secret = new Regex("(" + string.Join("|", _prefixes.Select(p => Regex.Escape(p.TrimEnd('/')) + "/")) + @")[^/\s?#""'<>]+",
            RegexOptions.CultureInvariant);
    }

    public bool IsPrivate(string? path) => path is not null && _prefixes.Any(p => path.StartsWith(p.TrimEnd('/') + "/", StringComparison.Ordinal));

    /// <summary><paramref name="text"/> with every private link's secret replaced by <see cref="Redacted"/>.</summary>
    public string Redact(string text) => _secret.Replace(text, "$1" + Redacted);

    public bool Carries(string? text) => text is not null && _secret.IsMatch(text);
}
