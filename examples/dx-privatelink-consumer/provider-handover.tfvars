# What the provider account hands over for the tenant "clients": the
# "clients" entry of its consumer_handover output
# (terraform output -json consumer_handover in examples/dx-privatelink-service).
services = {
  clients = {
    service_name = "com.amazonaws.vpce.eu-west-2.vpce-svc-0123456789abcdef0"
    zone_ids     = ["euw2-az1", "euw2-az2"]
    ports        = { broker-b-fix = 9002 }
  }
}
