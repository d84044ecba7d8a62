"""Start the apoxy-emulator (a local Apoxy Core API, core.apoxy.dev Backends) from Python tests.

    from apoxy_emulator import start

    with start(profile="documented") as emulator:
        api = kubernetes.client.CustomObjectsApi(emulator.api_client)
        ...

With pytest, the plugin (installed with this package) gives the fixtures ``apoxy_emulator``
(function scope: a clean emulator for each test), ``apoxy_emulator_module`` and
``apoxy_emulator_session``; options come from the ``apoxy_emulator_options`` fixture and the
``@pytest.mark.apoxy_emulator(...)`` marker.
"""

from .emulator import AdminError, Emulator, EmulatorOptions, EmulatorStartError, start
from .locate import BINARY_ENV, EmulatorNotFound

__all__ = ["AdminError", "BINARY_ENV", "Emulator", "EmulatorNotFound", "EmulatorOptions", "EmulatorStartError", "start"]
