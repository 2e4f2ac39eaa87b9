namespace Dit.Scheduling.Review;

public sealed record CloseRequest(string? Reason);
