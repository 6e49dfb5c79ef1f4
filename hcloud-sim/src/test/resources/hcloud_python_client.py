"""Drives hcloud-sim with Hetzner's official Python client; prints one line per step."""
import sys

from hcloud import APIException, Client

client = Client(token="python-test-token", api_endpoint=sys.argv[1])

print("servers", len(client.servers.get_all()))
print("volumes", len(client.volumes.get_all()))
volume = client.volumes.get_by_name("pvc-postgres-0")
print(volume.name, "on", volume.server.id)

action = volume.detach()
action.wait_until_finished()
print("detach", action.status)

target = client.servers.get_by_name("demo-worker-fsn1-2")
action = client.volumes.get_by_name("pvc-postgres-0").attach(target)
action.wait_until_finished()
print("attach", action.status)
print("pvc-postgres-0 on", client.volumes.get_by_name("pvc-postgres-0").server.id)

server = client.servers.get_by_name("demo-worker-nbg1-2")
action = server.power_off()
action.wait_until_finished()
print("poweroff", action.status, client.servers.get_by_id(server.id).status)

try:
    client.volumes.get_by_name("pvc-uploads").attach(client.servers.get_by_name("demo-worker-nbg1-1"))
    print("cross-location attached?!")
except APIException as error:
    print("cross-location", error.code, error.message)
