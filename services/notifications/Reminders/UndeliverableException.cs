namespace Dit.Notifications.Reminders;

/// <summary>A message that can never go as addressed (Notify: "not a UK mobile number"): not tried again; coordinators see it.</summary>
public sealed class UndeliverableException(string reason) : Exception(reason);
