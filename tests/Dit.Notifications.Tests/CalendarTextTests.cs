using System.Text;
using Dit.Notifications.Invites;

namespace Dit.Notifications.Tests;

public sealed class CalendarTextTests
{
    private static string[] PhysicalLines(string text) => text.Split("\r\n")[..^1];

    private static string Unfold(string text) => text.Replace("\r\n ", "");

    [Theory]
    [InlineData("Short line")]
    [InlineData("A long description that goes on and on past the seventy-five octet limit of RFC 5545, more than once, to be sure it folds twice or more.")]
    [InlineData("Siân Ó Dálaigh — ŵŷ ✓ 日本語のテキスト 🙂🙂🙂 café crème brûlée, naïve façade, Zoë; Łódź; Ærøskøbing; ещё раз; 🙂🙂🙂🙂🙂🙂🙂🙂")]
    public void Lines_are_folded_at_75_octets_without_splitting_a_character_and_unfold_to_the_original(string value)
    {
        var text = new CalendarText().Line("DESCRIPTION", value).ToString();

        Assert.EndsWith("\r\n", text);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        foreach (var line in PhysicalLines(text))
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            Assert.True(bytes.Length <= 75, $"{bytes.Length} octets: {line}");
            strict.GetString(bytes);   // a split character would not decode
        }
        Assert.Equal($"DESCRIPTION:{value}\r\n", Unfold(text));
    }

    [Fact]
    public void Text_values_escape_backslash_semicolon_comma_and_newlines()
    {
        var text = new CalendarText().TextLine("SUMMARY", "a\\b;c,d\ne\r\nf").ToString();

        Assert.Equal("SUMMARY:a\\\\b\\;c\\,d\\ne\\nf\r\n", text);
    }
}
