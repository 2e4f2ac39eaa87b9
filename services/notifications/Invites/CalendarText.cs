using System.Text;

namespace Dit.Notifications.Invites;

/// <summary>
/// Writes iCalendar content lines (RFC 5545 §3.1): CRLF endings, lines folded at 75 octets
/// without splitting a UTF-8 character, and TEXT values escaped.
/// </summary>
public sealed class CalendarText
{
    private const int MaxOctets = 75;
    private readonly StringBuilder _text = new();

    public CalendarText Line(string nameAndParameters, string value)
    {
        Fold($"{nameAndParameters}:{value}");
        return this;
    }

    /// <summary>A whole content line (name, parameters and value as written), folded.</summary>
    public CalendarText Line(string contentLine)
    {
        Fold(contentLine);
        return this;
    }

    /// <summary>A property whose value is TEXT: backslash, semicolon, comma and newlines escaped.</summary>
    public CalendarText TextLine(string nameAndParameters, string value) => Line(nameAndParameters, Escape(value));

    public static string Escape(string value) => value
        .Replace("\\", "\\\\")
        .Replace(";", "\\;")
        .Replace(",", "\\,")
        .Replace("\r\n", "\\n")
        .Replace("\n", "\\n")
        .Replace("\r", "\\n");

    public override string ToString() => _text.ToString();

    private void Fold(string line)
    {
        var octets = 0;
        var limit = MaxOctets;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                _text.Append("\r\n ");
                octets = 1;     // the leading space of a continuation line counts
            }
            _text.Append(rune.ToString());
            octets += size;
        }
        _text.Append("\r\n");
    }
}
