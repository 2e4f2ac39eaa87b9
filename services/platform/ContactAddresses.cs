using System.Text.RegularExpressions;
using MimeKit;

namespace Dit.Platform;

/// <summary>
/// What makes an email address or a mobile number one the product can use, checked at every door (the JSON API, the
/// bus command, and again by notifications before it writes to one). An email address is valid only if everything that
/// will use it takes it as itself: a plain addr-spec (no quoted local part, no comments, no display name), that MimeKit
/// parses back to exactly the same address and that makes a well-formed <c>mailto:</c> URI for the calendar's
/// ATTENDEE. Anything else — <c>a"b@x.org</c>, <c>a;b@x.org</c>, <c>a(evil)@x.org</c> (MimeKit drops the comment and
/// would mail <c>a@x.org</c>) — is refused before it is stored (issue 20).
/// </summary>
public static partial class ContactAddresses
{
    public const int MaxEmailLength = 254;

    // RFC 5322 dot-atom local part and a DNS host name with a letter top-level label: what mail systems and calendar
    // clients all take.
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex PlainAddress();

    private static readonly ParserOptions StrictParsing = new() { AddressParserComplianceMode = RfcComplianceMode.Strict, AllowAddressesWithoutDomain = false };

    /// <summary>Why <paramref name="address"/> (already trimmed) cannot be used, or null when it can.</summary>
    public static string? EmailProblem(string address)
    {
        if (address.Length > MaxEmailLength) return $"At most {MaxEmailLength} characters.";
        if (address.Split('@')[0].Length > 64 || !PlainAddress().IsMatch(address))
            return "Not an email address we can send to: name@example.org, without spaces, quotes, brackets or other punctuation around it.";
        if (!MailboxAddress.TryParse(StrictParsing, address, out var mailbox) || mailbox.GetAddress(idnEncode: true) != address || !string.IsNullOrEmpty(mailbox.Name))
            return "Not an email address we can send to: the mail library reads it as another address.";
        if (!Uri.IsWellFormedUriString("mailto:" + address, UriKind.Absolute))
            return "Not an email address we can send to: a calendar invite cannot name it.";
        return null;
    }

    /// <summary>
    /// A mobile number in E.164, as GOV.UK Notify takes them: a UK mobile (07…, +447…, 00447…) or an international
    /// number (+ or 00, a country code and 8 to 15 digits in all); spaces, dashes, dots and brackets are ignored.
    /// Null when it is neither.
    /// </summary>
    public static string? Mobile(string input)
    {
        var text = new string(input.Where(c => !(c is ' ' or '-' or '(' or ')' or '.')).ToArray());
        if (text.StartsWith("00", StringComparison.Ordinal)) text = "+" + text[2..];
        if (text.StartsWith("+44", StringComparison.Ordinal)) text = "0" + text[3..];
        if (text.StartsWith('0'))
            return text.Length == 11 && text.StartsWith("07", StringComparison.Ordinal) && text.All(char.IsAsciiDigit) ? "+44" + text[1..] : null;
        if (!text.StartsWith('+')) return null;
        var digits = text[1..];
        return digits.Length is >= 8 and <= 15 && digits.All(char.IsAsciiDigit) && digits[0] != '0' ? text : null;
    }
}
