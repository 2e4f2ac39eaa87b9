#!/bin/sh
set -e
if [ "$1" = rabbitmq-server ]; then
  {
    echo "loopback_users.guest = false"
    echo "listeners.tcp.default = 5672"
    echo "management.tcp.port = 15672"
    [ -z "$RABBITMQ_DEFAULT_USER" ] || echo "default_user = $RABBITMQ_DEFAULT_USER"
    [ -z "$RABBITMQ_DEFAULT_PASS" ] || echo "default_pass = $RABBITMQ_DEFAULT_PASS"
  } > /etc/rabbitmq/rabbitmq.conf
  chown -R rabbitmq:rabbitmq /var/lib/rabbitmq
  # runuser stays as PID 1 and passes SIGTERM on: the broker stops cleanly on docker stop.
  exec runuser -u rabbitmq -- /usr/lib/rabbitmq/bin/rabbitmq-server
fi
exec "$@"
