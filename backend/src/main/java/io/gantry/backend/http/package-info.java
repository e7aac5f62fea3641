/** JSON error responses shared by the device and management APIs. */
package io.gantry.backend.http;
