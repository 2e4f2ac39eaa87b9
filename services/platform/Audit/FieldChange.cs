namespace Dit.Platform.Audit;

/// <summary>One field of a change, before and after; both null where the values are health data or free text.</summary>
public sealed record FieldChange(string Field, string? Before, string? After)
{
    /// <summary>A field whose values stay out of the trail (scores, notes, reasons): only that it changed.</summary>
    public static FieldChange Withheld(string field) => new(field, null, null);
}
