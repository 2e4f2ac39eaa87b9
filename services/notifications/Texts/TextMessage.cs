namespace Dit.Notifications.Texts;

/// <summary>
/// A text as Notify's template takes it: the kind (which template), the template's personalisation — our own words and
/// the course's facts, never free text from a referral — and the same message as plain text (the development pickup file).
/// </summary>
public sealed record TextMessage(string Kind, IReadOnlyDictionary<string, string> Personalisation, string Body);
