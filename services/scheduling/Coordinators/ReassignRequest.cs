namespace Dit.Scheduling.Coordinators;

public sealed record ReassignRequest(int? FromSession, Guid? TherapistId);
