namespace Dit.Contracts;

/// <summary>
/// Notifications mailed a patient a private link to a session's questionnaire. Only the SHA-256 of the link's token
/// travels; scheduling, which owns the scores, keeps the hash and opens the questionnaire to whoever holds the token.
/// </summary>
public sealed record QuestionnaireLinkIssued(Guid CourseId, Guid ReferralId, int SessionNumber, string TokenHash, DateTimeOffset OccurredAt);

/// <summary>
/// A course ended — its last session over ("completed") or ended early by the clinic ("ended early") — and its outcome by
/// the NHS Talking Therapies definitions (null where fewer than two sessions were scored, or where a definition asks for a
/// case at the start). No scores travel. Published again when scores recorded later change it: the newest wins.
/// </summary>
public sealed record CourseOutcomeRecorded(
    Guid CourseId,
    Guid ReferralId,
    string Ending,
    int ScoredSessions,
    bool? CaseAtStart,
    bool? Recovered,
    bool? ReliableImprovement,
    bool? ReliableDeterioration,
    bool? ReliableRecovery,
    string Summary,
    DateTimeOffset OccurredAt);
