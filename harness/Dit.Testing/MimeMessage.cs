using System.Text;
using System.Text.RegularExpressions;

namespace Dit.Testing;

/// <summary>One leaf part of a MIME message: its headers and its decoded body.</summary>
public sealed record MimePart(string ContentType, IReadOnlyDictionary<string, string> Parameters, string Body);

/// <summary>
/// Reads a MIME message as our tests need it: the tree of multiparts flattened to leaf parts,
/// bodies decoded from base64 or quoted-printable. Just enough to check what a mail client sees.
/// </summary>
public static partial class MimeMessage
{
    [GeneratedRegex(@"(?<name>[\w-]+)=(""(?<value>[^""]*)""|(?<value>[^;\s]+))")]
    private static partial Regex Parameter();

    public static (string TopContentType, List<MimePart> Parts) Parse(string message)
    {
        var parts = new List<MimePart>();
        var top = Read(message.Replace("\r\n", "\n"), parts);
        return (top, parts);
    }

    /// <summary>The value of a top-level header (any case, unfolded), or "" when the message has none.</summary>
    public static string Header(string message, string name)
    {
        var text = message.Replace("\r\n", "\n");
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        return Headers(end < 0 ? text : text[..end]).GetValueOrDefault(name.ToLowerInvariant(), "").Trim();
    }

    private static string Read(string entity, List<MimePart> parts)
    {
        var split = entity.IndexOf("\n\n", StringComparison.Ordinal);
        var headerText = split < 0 ? entity : entity[..split];
        var body = split < 0 ? "" : entity[(split + 2)..];
        var headers = Headers(headerText);
        var contentType = headers.GetValueOrDefault("content-type", "text/plain");
        var type = contentType.Split(';')[0].Trim().ToLowerInvariant();
        var parameters = Parameter().Matches(contentType[type.Length..])
            .ToDictionary(m => m.Groups["name"].Value.ToLowerInvariant(), m => m.Groups["value"].Value);

        if (type.StartsWith("multipart/", StringComparison.Ordinal))
        {
            var boundary = "--" + parameters["boundary"];
            foreach (var section in body.Split(boundary).Skip(1))
            {
                if (section.StartsWith("--", StringComparison.Ordinal)) break;
                Read(section.TrimStart('\n'), parts);
            }
            return type;
        }
        var encoding = headers.GetValueOrDefault("content-transfer-encoding", "7bit").Trim().ToLowerInvariant();
        var charset = Encoding.GetEncoding(parameters.GetValueOrDefault("charset", "utf-8"));
        var decoded = encoding switch
        {
            "base64" => charset.GetString(Convert.FromBase64String(string.Concat(body.Split('\n').Select(l => l.Trim())))),
            "quoted-printable" => QuotedPrintable(body, charset),
            _ => body,
        };
        parts.Add(new MimePart(type, parameters, decoded));
        return type;
    }

    private static Dictionary<string, string> Headers(string text)
    {
        var headers = new Dictionary<string, string>();
        string? last = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && last is not null) headers[last] += " " + line.Trim();
            else if (line.IndexOf(':') is > 0 and var colon)
                headers[last = line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        return headers;
    }

    private static string QuotedPrintable(string body, Encoding charset)
    {
        var bytes = new List<byte>();
        var text = body.Replace("=\n", "");
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.AddRange(charset.GetBytes(text[i].ToString()));
        }
        return charset.GetString(bytes.ToArray());
    }
}
