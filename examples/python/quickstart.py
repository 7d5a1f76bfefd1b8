# pip install tencentcloud-sdk-python, then: python3 quickstart.py
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.organization.v20210331 import models, organization_client

http = HttpProfile(endpoint="127.0.0.1:9000", protocol="http")
cred = credential.Credential("AKIDEMULATORDEMO00000000000000000001", "EmulatorDemoSecretKey000000000001")
client = organization_client.OrganizationClient(cred, "ap-guangzhou", ClientProfile(httpProfile=http))

req = models.ListSCIMCredentialsRequest()
req.ZoneId = "z-emulatordemo"
print(client.ListSCIMCredentials(req).to_json_string())
