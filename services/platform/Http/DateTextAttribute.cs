namespace Dit.Platform.Http;

/// <summary>
/// Marks a text field or query parameter that <see cref="DateInput"/> reads: the OpenAPI document gives it
/// <c>format: date</c> (or <c>local-date-time</c> for a wall-clock date and time, which has no offset) and the bound, so callers — and the test that
/// tries every such field at and past its bounds — find them from the document.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class DateTextAttribute(bool withTime = false, string? bound = null) : Attribute
{
    public bool WithTime { get; } = withTime;

    /// <summary>What the field must be, for the document; by default <see cref="DateInput"/>'s rule.</summary>
    public string Description { get; } = (withTime ? "A local date and time, YYYY-MM-DDTHH:mm, " : "A date, YYYY-MM-DD, ")
        + (bound ?? $"within {DateInput.YearsAround} years of today.");
}
