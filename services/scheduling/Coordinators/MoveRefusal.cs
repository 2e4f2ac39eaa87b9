namespace Dit.Scheduling.Coordinators;

/// <summary>Why a move cannot be made: the request is wrong (400) or the time is not free (409).</summary>
public sealed record MoveRefusal(bool Conflict, string Field, string Message);
