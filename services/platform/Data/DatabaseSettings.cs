using System.ComponentModel.DataAnnotations;

namespace Dit.Platform.Data;

/// <summary>
/// A service's database, section <c>{Service}:Database</c>: <c>Provider</c> <c>sqlite</c> (default, a file under
/// <c>data/</c>) or <c>postgres</c>, and its <c>ConnectionString</c>.
/// </summary>
public sealed class DatabaseSettings
{
    [AllowedValues("sqlite", "postgres", "postgresql")]
    public string Provider { get; set; } = "sqlite";

    public string? ConnectionString { get; set; }
}
